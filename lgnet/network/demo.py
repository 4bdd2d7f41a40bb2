"""Demo network: the three editions, their cities, Taranto's partners and sites.

LgNet2's 16 cities and Taranto's partners and places come from the programme's press
release (see docs/glossary.md); LGNET3 adds six cities. The list of LgNetEA's 18 cities is
illustrative. Budgets and targets are plausible demo values, not official figures.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lgnet.network.models import Agreement, City, Edition, Organisation, Participation, Site

# slug: (name, ISTAT code, region)
CITIES = {
    "aosta": ("Aosta", "007003", "Valle d'Aosta"),
    "bari": ("Bari", "072006", "Puglia"),
    "bologna": ("Bologna", "037006", "Emilia-Romagna"),
    "bolzano": ("Bolzano", "021008", "Trentino-Alto Adige"),
    "cagliari": ("Cagliari", "092009", "Sardegna"),
    "campobasso": ("Campobasso", "070006", "Molise"),
    "caserta": ("Caserta", "061022", "Campania"),
    "catania": ("Catania", "087015", "Sicilia"),
    "catanzaro": ("Catanzaro", "079023", "Calabria"),
    "firenze": ("Firenze", "048017", "Toscana"),
    "genova": ("Genova", "010025", "Liguria"),
    "latina": ("Latina", "059011", "Lazio"),
    "milano": ("Milano", "015146", "Lombardia"),
    "napoli": ("Napoli", "063049", "Campania"),
    "palermo": ("Palermo", "082053", "Sicilia"),
    "perugia": ("Perugia", "054039", "Umbria"),
    "potenza": ("Potenza", "076063", "Basilicata"),
    "reggio-calabria": ("Reggio Calabria", "080063", "Calabria"),
    "roma": ("Roma", "058091", "Lazio"),
    "sassari": ("Sassari", "090064", "Sardegna"),
    "taranto": ("Taranto", "073027", "Puglia"),
    "torino": ("Torino", "001272", "Piemonte"),
    "trieste": ("Trieste", "032006", "Friuli-Venezia Giulia"),
    "venezia": ("Venezia", "027042", "Veneto"),
}
CONTROLLERS = {"bolzano": "Azienda Servizi Sociali di Bolzano"}

LGNET2 = [
    "bologna",
    "caserta",
    "firenze",
    "genova",
    "latina",
    "milano",
    "napoli",
    "palermo",
    "perugia",
    "potenza",
    "roma",
    "sassari",
    "taranto",
    "torino",
    "trieste",
    "bolzano",
]
LGNET3 = [*LGNET2, "aosta", "bari", "cagliari", "campobasso", "catanzaro", "venezia"]
LGNETEA = [*[c for c in LGNET2 if c != "bolzano"], "bari", "catania", "reggio-calabria"]

EDITIONS = {
    "LGNETEA": ("LgNetEA", date(2020, 1, 1), date(2022, 12, 31), "FAMI 2014-2020", LGNETEA),
    "LGNET2": ("LgNet2", date(2023, 1, 1), date(2023, 12, 31), "FAMI 2014-2020", LGNET2),
    "LGNET3": ("LGNET3", date(2024, 1, 1), date(2027, 12, 31), "FAMI 2021-2027", LGNET3),
}
LARGE = {"roma", "milano", "napoli", "torino", "palermo", "bologna", "firenze", "genova"}

TARANTO_ORGANISATIONS = {
    "comune": ("Comune di Taranto", Organisation.Kind.COMUNE),
    "isola": ("ISOLA Cooperativa Sociale", Organisation.Kind.SOCIAL_COOPERATIVE),
    "iom": (
        "OIM — Organizzazione Internazionale per le Migrazioni",
        Organisation.Kind.INTERNATIONAL,
    ),
    "uepe": (
        "UEPE Taranto — Ufficio di esecuzione penale esterna",
        Organisation.Kind.PUBLIC_OFFICE,
    ),
    "crest": ("Teatro Crest", Organisation.Kind.THEATRE),
    "asl": ("ASL Taranto", Organisation.Kind.HEALTH),
    "cpia": ("CPIA Taranto", Organisation.Kind.SCHOOL),
}
TARANTO_SITES = [
    (
        "re-point — sportello unico multiservizi",
        Site.Kind.ONE_STOP_SHOP,
        "isola",
        "Città vecchia, Taranto",
    ),
    ("Unità mobile — équipe itinerante di pronta assistenza", Site.Kind.MOBILE_UNIT, "isola", ""),
    ("Casa del rifugiato", Site.Kind.SHELTER, "isola", "Taranto"),
    ("Rifugio protetto 1", Site.Kind.SHELTER, "isola", ""),
    ("Rifugio protetto 2 — co-abitazione solidale", Site.Kind.SHELTER, "isola", ""),
    ("Giardini Jannelli", Site.Kind.GARDEN, "comune", "Taranto"),
    ("Scuole del quartiere Tamburi", Site.Kind.SCHOOL, "comune", "Taranto"),
    ("Teatro Crest — TaTÀ", Site.Kind.OTHER, "crest", "Taranto"),
    ("CPIA — sede corsi di italiano", Site.Kind.SCHOOL, "cpia", "Taranto"),
]
TARANTO_AGREEMENTS = [
    (
        "uepe",
        "Convenzione UEPE — rifugiati a fine pena",
        "Segnalazione e presa in carico di rifugiati detenuti prossimi al fine pena.",
    ),
    (
        "iom",
        "Convenzione OIM — diritti dei lavoratori",
        "Corsi sui diritti dei lavoratori e contrasto al lavoro nero.",
    ),
    (
        "isola",
        "Convenzione ISOLA — sportello, unità mobile e accoglienza",
        "Gestione del re-point, dell'unità mobile e delle strutture abitative.",
    ),
    ("crest", "Convenzione Teatro Crest — laboratori teatrali", "Laboratori teatrali."),
    ("cpia", "Accordo CPIA — corsi di lingua italiana", "Corsi di italiano L2, livelli pre-A1–B1."),
]


def seed_network(scale: int = 1) -> None:
    cities = {}
    for slug, (name, istat, region) in CITIES.items():
        cities[slug], _ = City.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "istat_code": istat,
                "region": region,
                "controller": CONTROLLERS.get(slug, ""),
            },
        )
    for code, (name, starts, ends, fund, members) in EDITIONS.items():
        edition, _ = Edition.objects.update_or_create(
            code=code, defaults={"name": name, "starts_on": starts, "ends_on": ends, "fund": fund}
        )
        for slug in members:
            big = slug in LARGE
            target = 65 if (slug == "taranto" and code == "LGNET2") else (120 if big else 60)
            if code == "LGNET3":
                target = target * 3
            Participation.objects.update_or_create(
                edition=edition,
                city=cities[slug],
                defaults={
                    "target_beneficiaries": target,
                    "budget": Decimal(900_000 if big else 450_000) * (3 if code == "LGNET3" else 1),
                },
            )
    for slug, city in cities.items():
        _seed_city(city, slug)


def _seed_city(city: City, slug: str) -> None:
    if slug == "taranto":
        orgs = {
            key: Organisation.objects.update_or_create(
                city=city, name=name, defaults={"kind": kind}
            )[0]
            for key, (name, kind) in TARANTO_ORGANISATIONS.items()
        }
        for name, kind, org, address in TARANTO_SITES:
            Site.objects.update_or_create(
                city=city,
                name=name,
                defaults={"kind": kind, "organisation": orgs[org], "address": address},
            )
        for org, title, scope in TARANTO_AGREEMENTS:
            Agreement.objects.update_or_create(
                city=city,
                title=title,
                defaults={
                    "organisation": orgs[org],
                    "scope": scope,
                    "starts_on": date(2023, 1, 1),
                    "ends_on": date(2027, 12, 31),
                },
            )
        return
    comune, _ = Organisation.objects.update_or_create(
        city=city, name=f"Comune di {city.name}", defaults={"kind": Organisation.Kind.COMUNE}
    )
    coop, _ = Organisation.objects.update_or_create(
        city=city,
        name=f"Cooperativa sociale Accoglienza {city.name}",
        defaults={"kind": Organisation.Kind.SOCIAL_COOPERATIVE},
    )
    Site.objects.update_or_create(
        city=city,
        name=f"Sportello unico — {city.name}",
        defaults={"kind": Site.Kind.ONE_STOP_SHOP, "organisation": comune},
    )
    Site.objects.update_or_create(
        city=city,
        name=f"Unità mobile — {city.name}",
        defaults={"kind": Site.Kind.MOBILE_UNIT, "organisation": coop},
    )
    Agreement.objects.update_or_create(
        city=city,
        title=f"Convenzione con {coop.name}",
        defaults={
            "organisation": coop,
            "scope": "Presa in carico e unità mobile.",
            "starts_on": date(2023, 1, 1),
            "ends_on": date(2027, 12, 31),
        },
    )
