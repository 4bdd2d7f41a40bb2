"""lgnet refresh_figures [--city SLUG] [--edition CODE]: recompute the stored figures."""

from django.core.management.base import BaseCommand, CommandError

from lgnet.monitoring import engine
from lgnet.network.models import City, Edition, Participation


class Command(BaseCommand):
    help = "Recompute the stored figures of every city (or one) for every edition (or one)."

    def add_arguments(self, parser):
        parser.add_argument("--city", help="the city's short name (slug)")
        parser.add_argument("--edition", help="the edition's code, e.g. LGNET2")

    def handle(self, *args, city=None, edition=None, **options):
        pairs = Participation.objects.select_related("city", "edition").order_by(
            "edition__starts_on", "city__slug"
        )
        if city:
            if not City.objects.filter(slug=city).exists():
                raise CommandError(f"no city {city!r}")
            pairs = pairs.filter(city__slug=city)
        if edition:
            if not Edition.objects.filter(code=edition).exists():
                raise CommandError(f"no edition {edition!r}")
            pairs = pairs.filter(edition__code=edition)
        total = 0
        for participation in pairs:
            written = engine.refresh(participation.city, participation.edition)
            total += written
            self.stdout.write(
                f"{participation.edition.code} {participation.city.slug}: {written} rows"
            )
        editions = {p.edition_id: p.edition for p in pairs}
        engine.refresh_network_counts(editions.values())
        self.stdout.write(self.style.SUCCESS(f"{total} figure rows written"))
