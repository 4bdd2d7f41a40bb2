from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lgnet.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from lgnet.activities import hooks
        from lgnet.activities.demo import seed_activities
        from lgnet.core import demo

        demo.register(60, "activities", seed_activities)
        hooks.connect()
