from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "lgnet.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from lgnet.core import demo
        from lgnet.network.demo import seed_network

        demo.register(10, "network", seed_network)
