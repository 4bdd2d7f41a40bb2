from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "lgnet.imports"
    label = "imports"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from lgnet.imports import retention

        retention.connect()  # files and reports: privacy's retention period and erasure
