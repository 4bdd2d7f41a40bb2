from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lgnet.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from lgnet.core import demo
        from lgnet.people.demo import seed_people

        demo.register(30, "people", seed_people)

        from lgnet.network import panels
        from lgnet.people.network_panel import unique_persons_panel

        panels.register(unique_persons_panel)

        from lgnet.people.network_panel import city_figures

        panels.register_city_figures(city_figures)
