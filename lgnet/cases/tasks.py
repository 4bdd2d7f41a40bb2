"""The daily tasks run (django-tasks; `lgnet db_worker` runs it, `lgnet make_tasks --enqueue`
from cron or a systemd timer puts it on the queue once a day)."""

from django_tasks import task


@task()
def make_tasks_task() -> dict:
    from django_scopes import scopes_disabled

    from lgnet.cases.services import make_automatic_tasks
    from lgnet.network.models import City

    made = {}
    with scopes_disabled():
        for city in City.objects.order_by("slug"):
            made[city.slug] = make_automatic_tasks(city)
    return made
