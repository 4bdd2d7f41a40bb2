from django.core.management.base import BaseCommand

from lgnet.privacy import services


class Command(BaseCommand):
    help = (
        "Anonymise what has passed the network's retention periods (the daily run). "
        "--preview prints what the next run will touch (counts only); --enqueue hands the run "
        "to the task worker instead of running it here."
    )

    def add_arguments(self, parser):
        parser.add_argument("--preview", action="store_true")
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args, preview=False, enqueue=False, **options):
        if preview:
            for item in services.retention_preview():
                self.stdout.write(f"{item['policy'].kind}: {item['total']} {item['cities']}")
            return
        if enqueue:
            from lgnet.privacy.tasks import run_retention_task

            result = run_retention_task.enqueue()
            self.stdout.write(f"retention run queued ({result.id})")
            return
        run = services.run_retention()
        self.stdout.write(f"retention run {run.pk}: {run.total} records anonymised {run.counts}")
