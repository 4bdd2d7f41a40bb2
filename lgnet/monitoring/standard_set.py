"""The network's standard indicators and the fund indicators they feed, as data.

Loaded by the data migration (0002) and by the demo seeder (`load`); later
changes come as new migrations with a new `version`, so a figure is always counted by
a known definition.

AMIF 2021-2027: the common indicators of Annex VIII of Regulation (EU) 2021/1147,
specific objective 2 (legal migration, including integration), that apply to LgNet.

Source: Regulation (EU) 2021/1147 of the European Parliament and of the Council of 7 July
2021 establishing the Asylum, Migration and Integration Fund, OJ L 251, 15.7.2021, p. 1-47,
ELI http://data.europa.eu/eli/reg/2021/1147/oj (EUR-Lex CELEX 32021R1147; consolidated
versions 02021R1147-20220412 and -20240611, amended by Regulations (EU) 2022/585 and
2024/1350). That reference was checked against EUR-Lex's own page (title, OJ reference,
amendments). The WORDING AND CODES BELOW ARE STILL FROM MEMORY: the text of Annex VIII itself
could not be read while this was checked (see docs/decisions/0009, "AMIF mapping"). The
Annex numbers the SO2 indicators 1..11; "O.2.n"/"R.2.n" is the numbering of the Commission's
reporting system as we remember it. Check both against the Annex before the first fund
submission and correct them here and in a new migration. The Italian names are our own.
"""

AMIF = "AMIF 2021-2027"
# Until the codes and wording above are checked against the Annex, every page and export that
# shows them says so (selectors.fund_note).
CHECKED_AGAINST_ANNEX = False
ANNEX = "Reg. (EU) 2021/1147, Annex VIII, SO2"

# code, kind, name (en), name (it), reference, order
FUND_INDICATORS = [
    (
        "O.2.2",
        "output",
        "Number of local and regional authorities supported to implement integration measures",
        "Numero di autorità locali e regionali sostenute per attuare misure di integrazione",
        f"{ANNEX}, output 2",
        2,
    ),
    (
        "O.2.3",
        "output",
        "Number of participants supported",
        "Numero di partecipanti sostenuti",
        f"{ANNEX}, output 3",
        3,
    ),
    (
        "O.2.3.1",
        "output",
        "of which number of participants in a language course",
        "di cui numero di partecipanti a un corso di lingua",
        f"{ANNEX}, output 3.1",
        4,
    ),
    (
        "O.2.3.2",
        "output",
        "of which number of participants in a civic orientation course",
        "di cui numero di partecipanti a un corso di orientamento civico",
        f"{ANNEX}, output 3.2",
        5,
    ),
    (
        "O.2.3.3",
        "output",
        "of which number of participants who received personal professional guidance",
        "di cui numero di partecipanti che hanno ricevuto un orientamento professionale personale",
        f"{ANNEX}, output 3.3",
        6,
    ),
    (
        "R.2.8",
        "result",
        "Number of participants in language courses who have improved their proficiency level "
        "in the host country language upon leaving the language course by at least one level "
        "in the Common European Framework of Reference for Languages or national equivalent",
        "Numero di partecipanti ai corsi di lingua che, al termine del corso, hanno migliorato "
        "di almeno un livello del Quadro comune europeo di riferimento per le lingue (o "
        "equivalente nazionale) la conoscenza della lingua del paese ospitante",
        f"{ANNEX}, result 8",
        8,
    ),
    (
        "R.2.9",
        "result",
        "Number of participants who report that the activity was helpful for their integration",
        "Numero di partecipanti che dichiarano che l'attività è stata utile per la loro "
        "integrazione",
        f"{ANNEX}, result 9",
        9,
    ),
]

PERSON_DIMS = ["sex", "age_band", "nationality", "month", "vulnerable"]
CASE_DIMS = [*PERSON_DIMS, "action_area"]

# code, name it, name en, definition it, definition en, unit, breakdowns, category label
# (en, it), capability, headline, order, fund indicator codes
INDICATORS = [
    (
        "beneficiaries",
        "Beneficiari presi in carico",
        "Beneficiaries taken in charge",
        "Persone distinte con una presa in carico aperta in qualsiasi momento del periodo.",
        "Unique persons with a case open at any time in the period.",
        "persons",
        CASE_DIMS,
        ("", ""),
        "cases",
        True,
        10,
        ["O.2.3"],
    ),
    (
        "new_beneficiaries",
        "Nuovi beneficiari",
        "New beneficiaries",
        "Persone distinte la cui prima presa in carico nella città è stata aperta nel periodo.",
        "Unique persons whose first case in the city was opened in the period.",
        "persons",
        CASE_DIMS,
        ("", ""),
        "cases",
        True,
        20,
        [],
    ),
    (
        "contacts",
        "Primi contatti",
        "First contacts",
        "Primi contatti allo sportello e in strada nel periodo, compresi quelli anonimi.",
        "First contacts at the desk and in the street in the period, anonymous ones included.",
        "contacts",
        ["sex", "age_band", "nationality", "month", "category", "vulnerable"],
        ("where", "dove"),
        "people",
        True,
        30,
        [],
    ),
    (
        "contacts_mobile",
        "Contatti delle unità mobili",
        "Contacts made by mobile units",
        "Primi contatti fatti in strada dalle unità mobili nel periodo, compresi quelli anonimi.",
        "First contacts made in the street by the mobile units in the period, anonymous "
        "ones included.",
        "contacts",
        ["sex", "age_band", "nationality", "month"],
        ("", ""),
        "people",
        False,
        40,
        [],
    ),
    (
        "services",
        "Interventi erogati",
        "Services delivered",
        "Interventi erogati nel periodo, per tipo del catalogo della rete.",
        "Services delivered in the period, by type of the network's catalogue.",
        "services",
        [*CASE_DIMS, "category"],
        ("service type", "tipo di intervento"),
        "cases",
        True,
        50,
        [],
    ),
    (
        "job_guidance_participants",
        "Persone con orientamento al lavoro",
        "Persons given job guidance",
        "Persone distinte che hanno ricevuto un orientamento al lavoro nel periodo.",
        "Unique persons who received job orientation in the period.",
        "persons",
        CASE_DIMS,
        ("", ""),
        "cases",
        False,
        55,
        ["O.2.3.3"],
    ),
    (
        "referrals",
        "Invii ai partner",
        "Referrals",
        "Invii e segnalazioni con i partner nel periodo, per esito.",
        "Referrals to and from partners in the period, by status.",
        "referrals",
        ["sex", "month", "category"],
        ("status", "stato"),
        "cases",
        False,
        60,
        [],
    ),
    (
        "cases_closed",
        "Prese in carico chiuse",
        "Cases closed",
        "Prese in carico chiuse nel periodo, per esito.",
        "Cases closed in the period, by outcome.",
        "cases",
        [*CASE_DIMS, "category"],
        ("outcome", "esito"),
        "cases",
        False,
        70,
        [],
    ),
    (
        "persons_housed",
        "Persone accolte",
        "Persons housed",
        "Persone distinte in un posto letto in qualsiasi momento del periodo.",
        "Unique persons in a bed at any time in the period.",
        "persons",
        PERSON_DIMS,
        ("", ""),
        "housing",
        False,
        80,
        [],
    ),
    (
        "bed_nights",
        "Notti di accoglienza",
        "Bed-nights",
        "Notti trascorse nei posti letto della città nel periodo.",
        "Nights spent in the city's beds in the period.",
        "bed_nights",
        [*PERSON_DIMS, "category"],
        ("facility kind", "tipo di struttura"),
        "housing",
        True,
        90,
        [],
    ),
    (
        "occupancy_rate",
        "Tasso di occupazione",
        "Occupancy rate",
        "Notti occupate su notti disponibili (posti in uso), fino a oggi, in percentuale.",
        "Bed-nights used over bed-nights available (beds in use), up to today, in percent.",
        "percent",
        ["month"],
        ("", ""),
        "housing",
        False,
        100,
        [],
    ),
    (
        "rent_supports",
        "Persone con contributo affitto",
        "Persons with rent support",
        "Persone distinte con un contributo per l'affitto in corso nel periodo.",
        "Unique persons with a rent contribution running in the period.",
        "persons",
        PERSON_DIMS,
        ("", ""),
        "housing",
        False,
        110,
        [],
    ),
    (
        "rent_support_amount",
        "Contributi affitto pagati",
        "Rent support paid",
        "Importo dei contributi per l'affitto pagati nel periodo.",
        "Rent contributions paid in the period.",
        "euros",
        PERSON_DIMS,
        ("", ""),
        "housing",
        False,
        120,
        [],
    ),
    (
        "exits_autonomous",
        "Uscite verso l'autonomia abitativa",
        "Exits to autonomous housing",
        "Persone distinte uscite da un posto letto verso un'abitazione autonoma nel periodo.",
        "Unique persons who left a bed for autonomous housing in the period.",
        "persons",
        PERSON_DIMS,
        ("", ""),
        "housing",
        False,
        130,
        [],
    ),
    (
        "course_participants",
        "Partecipanti ai corsi",
        "Course participants",
        "Persone distinte iscritte a un corso (italiano o altro) nel periodo.",
        "Unique persons enrolled in a course (Italian or other) in the period.",
        "persons",
        [*PERSON_DIMS, "category"],
        ("course kind", "tipo di corso"),
        "activities",
        True,
        140,
        [],
    ),
    (
        "language_course_participants",
        "Partecipanti ai corsi di italiano",
        "Italian course participants",
        "Persone distinte iscritte a un corso di lingua italiana nel periodo.",
        "Unique persons enrolled in an Italian language course in the period.",
        "persons",
        PERSON_DIMS,
        ("", ""),
        "activities",
        False,
        145,
        ["O.2.3.1"],
    ),
    (
        "cefr_improved",
        "Partecipanti migliorati di un livello QCER",
        "Participants up one CEFR level",
        "Persone distinte uscite nel periodo da un corso di italiano con almeno un livello "
        "QCER in più rispetto all'ingresso.",
        "Unique persons who left an Italian course in the period at least one CEFR level "
        "above their entry level.",
        "persons",
        PERSON_DIMS,
        ("", ""),
        "activities",
        False,
        150,
        ["R.2.8"],
    ),
    (
        "civic_hours",
        "Ore di impegno civico",
        "Civic-engagement hours",
        "Ore di presenza ai progetti di impegno civico nel periodo.",
        "Hours attended in civic-engagement projects in the period.",
        "hours",
        PERSON_DIMS,
        ("", ""),
        "activities",
        True,
        160,
        [],
    ),
    (
        "events",
        "Eventi di sensibilizzazione",
        "Awareness events",
        "Eventi di sensibilizzazione iniziati nel periodo.",
        "Awareness events that started in the period.",
        "events",
        ["month"],
        ("", ""),
        "activities",
        False,
        170,
        [],
    ),
    (
        "event_attendees",
        "Partecipanti agli eventi",
        "Event attendees",
        "Persone contate agli eventi di sensibilizzazione iniziati nel periodo (conteggi "
        "anonimi, non persone distinte).",
        "People counted at awareness events that started in the period (anonymous head "
        "counts, not unique persons).",
        "persons",
        ["sex", "age_band", "month"],
        ("", ""),
        "activities",
        False,
        180,
        [],
    ),
]


def load(apps) -> None:
    """Create or update the standard set (used by the data migration and by the demo)."""
    FundIndicator = apps.get_model("monitoring", "FundIndicator")
    Indicator = apps.get_model("monitoring", "Indicator")
    fund = {}
    for code, kind, name_en, name_it, reference, order in FUND_INDICATORS:
        fund[code], _created = FundIndicator.objects.update_or_create(
            programme=AMIF,
            code=code,
            defaults={
                "kind": kind,
                "name_en": name_en,
                "name_it": name_it,
                "reference": reference,
                "order": order,
            },
        )
    for row in INDICATORS:
        (code, name_it, name_en, def_it, def_en, unit, dims, labels, capability, headline) = row[
            :10
        ]
        order, fund_codes = row[10], row[11]
        indicator, _created = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name_it": name_it,
                "name_en": name_en,
                "definition_it": def_it,
                "definition_en": def_en,
                "unit": unit,
                "measure": code,
                "breakdowns": dims,
                "category_label_en": labels[0],
                "category_label_it": labels[1],
                "capability": capability,
                "is_headline": headline,
                "order": order,
            },
        )
        indicator.fund_indicators.set([fund[c] for c in fund_codes])
