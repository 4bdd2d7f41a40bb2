from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "lgnet.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from lgnet.core import demo
        from lgnet.privacy import builtin
        from lgnet.privacy.demo import seed_privacy

        builtin.connect()
        demo.register(90, "privacy", seed_privacy)
