from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lgnet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from lgnet.accounts import signals  # noqa: F401 - connects the sign-in receiver
        from lgnet.accounts.demo import seed_logins
        from lgnet.core import demo

        demo.register(20, "accounts", seed_logins)
