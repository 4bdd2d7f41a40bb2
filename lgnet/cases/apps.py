from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lgnet.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from lgnet.cases import hooks
        from lgnet.cases.demo import seed_cases
        from lgnet.core import demo

        demo.register(40, "cases", seed_cases)
        hooks.connect()
