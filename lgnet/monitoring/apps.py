from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "lgnet.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from lgnet.core import demo
        from lgnet.monitoring import hooks
        from lgnet.monitoring.demo import seed_monitoring

        demo.register(90, "monitoring", seed_monitoring)
        hooks.connect()
