from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make the tasks nobody has to remember: residence permits expiring within 60 days "
        "(for the manager of the open case) and pending plan reviews. Safe to run again. "
        "Run it daily (cron or a systemd timer); --enqueue hands it to the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="run it in the task worker")

    def handle(self, *args, enqueue=False, **options):
        from lgnet.cases.tasks import make_tasks_task

        if enqueue:
            result = make_tasks_task.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        made = make_tasks_task.call()
        for city, count in made.items():
            if count:
                self.stdout.write(f"{city}: {count} new task(s)")
        self.stdout.write(f"{sum(made.values())} new task(s) in all")
