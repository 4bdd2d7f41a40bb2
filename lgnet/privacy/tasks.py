"""The daily retention run (django-tasks; `lgnet db_worker` runs it, `lgnet run_retention
--enqueue` from cron or a systemd timer puts it on the queue once a day)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_retention_task() -> dict:
    from lgnet.privacy import services

    run = services.run_retention()
    return {"run": run.pk, "total": run.total}
