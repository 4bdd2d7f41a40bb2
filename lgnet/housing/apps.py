from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "lgnet.housing"
    label = "housing"
    verbose_name = _("Housing")

    def ready(self) -> None:
        from lgnet.core import demo
        from lgnet.housing import hooks
        from lgnet.housing.demo import seed_housing

        demo.register(50, "housing", seed_housing)
        hooks.connect()
