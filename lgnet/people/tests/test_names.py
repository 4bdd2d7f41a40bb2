"""The synthetic person generator: determinism, labels, and the duplicates it writes.

Pure Python: no database, no Django.
"""

import datetime
import math
import os
import random
import re
import subprocess
import sys
import unicodedata

import pytest

from lgnet.people.names import NAME_VARIANTS, NATIONALITY_MIX, Record, person, population, variant

TODAY = datetime.date(2025, 6, 1)
PRECISIONS = {"day", "month", "year", "estimated"}


def fold(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return fold("".join(c for c in decomposed if not unicodedata.combining(c)))


def originals_and_variants(seed: int, n: int = 500) -> list[tuple[Record, Record]]:
    rng = random.Random(seed)
    pairs = []
    for i in range(n):
        original = person(rng, entity=i, today=TODAY)
        pairs.append((original, variant(rng, original)))
    return pairs


# --- the tables ----------------------------------------------------------------------------


def test_nationality_mix_is_a_distribution_of_iso_codes():
    assert math.isclose(sum(NATIONALITY_MIX.values()), 1.0, abs_tol=1e-9)
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in NATIONALITY_MIX)
    assert all(weight > 0 for weight in NATIONALITY_MIX.values())
    expected = {"NG", "GM", "ML", "SN", "GN", "CI", "ER", "ET", "SO", "SD", "MA", "TN", "EG"}
    expected |= {"DZ", "PK", "BD", "AF", "UA", "GE", "AL"}
    assert expected <= set(NATIONALITY_MIX)


def test_each_spelling_belongs_to_one_name_only():
    owner: dict[str, str] = {}
    for canonical, spellings in NAME_VARIANTS.items():
        assert spellings, canonical
        for spelling in (canonical, *spellings):
            key = fold(spelling)
            assert owner.setdefault(key, canonical) == canonical, (spelling, owner[key])


@pytest.mark.parametrize(
    "same_name",
    [
        ["Mohamed", "Mohammed", "Muhammad", "Mohamad", "Mouhamed", "Muhamed"],
        ["Ahmed", "Ahmad"],
        ["Youssef", "Yusuf", "Youssouf", "Yussuf"],
        ["Abdoulaye", "Abdullahi", "Abdallah"],
        ["Ousmane", "Usman", "Osman"],
        ["Mamadou", "Mamadu"],
        ["Fatoumata", "Fatimata", "Fatima", "Fatma"],
        ["Aissatou", "Aysatu"],
        ["Ibrahima", "Ibrahim", "Brahim"],
        ["Seydou", "Saidou"],
        ["Diallo", "Dialo", "Jallow", "Djalo"],
        ["Touré", "Toure", "Ture"],
        ["Traoré", "Traore"],
        ["Camara", "Kamara"],
        ["Keita", "Keïta"],
        ["Ndiaye", "N'Diaye"],
        ["Sow", "Sowe"],
        ["Bah", "Ba"],
        ["El Amrani", "Elamrani", "Al-Amrani"],
        ["Ben Ali", "Benali"],
        ["Abdel Rahman", "Abdelrahman", "Abdul Rahman"],
        ["Haile", "Hailé"],
        ["Tesfaye", "Tesfay"],
        ["Gebremedhin", "Ghebremedhin", "Gebre Medhin"],
        ["Mohamud", "Mohamoud"],
        ["Hussein", "Husain", "Hossain"],
        ["Rahman", "Rehman"],
        ["Chowdhury", "Choudhury", "Chowdhuri"],
        ["Shevchenko", "Chevtchenko", "Ševčenko"],
        ["Oleksandr", "Aleksandr", "Alexander"],
        ["Giorgi", "Georgi"],
    ],
)
def test_known_transliterations_share_a_class(same_name):
    owner = {
        fold(spelling): canonical
        for canonical, spellings in NAME_VARIANTS.items()
        for spelling in (canonical, *spellings)
    }
    classes = {owner.get(fold(spelling)) for spelling in same_name}
    assert len(classes) == 1
    assert None not in classes


# --- person and population -----------------------------------------------------------------


def test_same_seed_same_records():
    a = population(random.Random(11), 200, duplicate_rate=0.3, today=TODAY)
    b = population(random.Random(11), 200, duplicate_rate=0.3, today=TODAY)
    c = population(random.Random(12), 200, duplicate_rate=0.3, today=TODAY)
    assert a == b
    assert a != c
    assert person(random.Random(3), entity=5, today=TODAY) == person(
        random.Random(3), entity=5, today=TODAY
    )


def test_same_seed_same_records_in_another_process():
    """String hashing differs between processes; the output must not depend on it."""
    code = (
        "import datetime, random\n"
        "from lgnet.people.names import population\n"
        "people = population(random.Random(5), 300, duplicate_rate=0.4,"
        " today=datetime.date(2025, 6, 1))\n"
        "print(repr(people))\n"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(  # noqa: S603 - this interpreter, our own code
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_population_size_and_entity_labels():
    people = population(random.Random(1), 300, duplicate_rate=0.2, today=TODAY)
    assert len(people) == 300 + 60
    assert [r.entity for r in people[:300]] == list(range(300))
    assert all(0 <= r.entity < 300 for r in people[300:])
    originals = {r.entity: r for r in people[:300]}
    for duplicate in people[300:]:
        original = originals[duplicate.entity]
        assert duplicate.sex == original.sex
        assert duplicate.nationalities[0] == original.nationalities[0]


def test_population_without_duplicates_or_people():
    assert len(population(random.Random(1), 50, today=TODAY)) == 50
    assert population(random.Random(1), 0, duplicate_rate=0.5, today=TODAY) == []
    with pytest.raises(ValueError):
        population(random.Random(1), 5, duplicate_rate=-0.1)


def test_records_are_plausible():
    for r in population(random.Random(2), 1000, today=TODAY):
        assert r.given_names.strip() and r.family_names.strip()
        assert r.sex in {"F", "M", "X", "U"}
        assert r.birth_date_precision in PRECISIONS
        age = (TODAY - r.birth_date).days / 365.25
        assert 14 <= age <= 77
        assert len(r.nationalities) == 1 and r.nationalities[0] in NATIONALITY_MIX
        assert r.languages and all(re.fullmatch(r"[a-z]{2}", code) for code in r.languages)
        assert r.codice_fiscale == ""
        if r.birth_date_precision == "year":
            assert (r.birth_date.month, r.birth_date.day) == (1, 1)
        if r.birth_date_precision == "month":
            assert r.birth_date.day == 1


def test_mostly_men_mostly_exact_dates_some_original_scripts():
    people = population(random.Random(4), 2000, today=TODAY)
    sexes = [r.sex for r in people]
    assert 0.55 < sexes.count("M") / len(people) < 0.85
    assert sexes.count("U") < 20
    exact = sum(r.birth_date_precision == "day" for r in people)
    assert 0.7 < exact / len(people) < 0.95
    scripts = [r.original_script_name for r in people if r.original_script_name]
    assert 100 < len(scripts) < 1000
    assert all(not re.search(r"[A-Za-z]", s) for s in scripts)


@pytest.mark.parametrize("nationality", sorted(NATIONALITY_MIX))
def test_every_nationality_produces_names(nationality):
    rng = random.Random(nationality)
    people = [person(rng, entity=i, nationality=nationality, today=TODAY) for i in range(60)]
    for r in people:
        assert r.nationalities == [nationality]
        assert re.fullmatch(r"[^\W\d_]+(['\- ][^\W\d_]+)*", r.given_names), r.given_names
        assert re.fullmatch(r"[^\W\d_]+(['\- ][^\W\d_]+)*", r.family_names), r.family_names
        assert r.languages
    assert len({r.family_names for r in people}) >= 15
    assert len({r.given_names for r in people}) >= 15


def test_an_unknown_nationality_is_refused():
    with pytest.raises(ValueError):
        person(random.Random(1), entity=0, nationality="XX", today=TODAY)


# --- variants ------------------------------------------------------------------------------


def test_variants_keep_the_identity_and_almost_always_differ():
    pairs = originals_and_variants(21)
    differing = 0
    for original, duplicate in pairs:
        assert duplicate.entity == original.entity
        assert duplicate.sex == original.sex
        assert duplicate.nationalities[0] == original.nationalities[0]
        assert set(original.nationalities) <= set(duplicate.nationalities)
        assert duplicate.codice_fiscale == original.codice_fiscale
        differing += duplicate != original
    assert differing >= 0.95 * len(pairs)


def test_variant_leaves_the_original_untouched():
    rng = random.Random(8)
    original = person(rng, entity=3, today=TODAY)
    snapshot = Record(**{**original.__dict__, "nationalities": list(original.nationalities)})
    for _ in range(200):
        duplicate = variant(rng, original)
        duplicate.nationalities.append("ZZ")
        duplicate.languages.append("zz")
    assert original == snapshot
    assert "ZZ" not in original.nationalities and "zz" not in original.languages


def test_year_only_variants_are_the_first_of_january():
    pairs = originals_and_variants(22)
    coarsened = [
        (o, d)
        for o, d in pairs
        if d.birth_date_precision == "year" and o.birth_date_precision != "year"
    ]
    assert coarsened
    for original, duplicate in coarsened:
        assert duplicate.birth_date == datetime.date(original.birth_date.year, 1, 1)


def test_estimated_dates_stay_within_a_year():
    pairs = originals_and_variants(23)
    estimated = [
        (o, d)
        for o, d in pairs
        if d.birth_date_precision == "estimated" and d.birth_date != o.birth_date
    ]
    assert estimated
    for original, duplicate in estimated:
        assert abs(duplicate.birth_date.year - original.birth_date.year) <= 1
        assert abs((duplicate.birth_date - original.birth_date).days) <= 366


def test_day_and_month_are_sometimes_swapped():
    pairs = originals_and_variants(24, 1500)
    swapped = [
        (o, d)
        for o, d in pairs
        if d.birth_date != o.birth_date
        and d.birth_date_precision == o.birth_date_precision
        and (d.birth_date.year, d.birth_date.month, d.birth_date.day)
        == (o.birth_date.year, o.birth_date.day, o.birth_date.month)
    ]
    assert swapped
    assert all(o.birth_date.day <= 12 for o, _ in swapped)


def test_given_and_family_names_are_sometimes_swapped():
    pairs = originals_and_variants(25)
    swapped = sum(
        plain(d.given_names) == plain(o.family_names)
        and plain(d.family_names) == plain(o.given_names)
        for o, d in pairs
    )
    assert 0 < swapped < len(pairs) // 4


def test_variants_use_other_spellings_of_the_same_name():
    owner = {
        fold(spelling): canonical
        for canonical, spellings in NAME_VARIANTS.items()
        for spelling in (canonical, *spellings)
    }
    respelled = 0
    for original, duplicate in originals_and_variants(26):
        before = set(original.given_names.split()) | set(original.family_names.split())
        after = set(duplicate.given_names.split()) | set(duplicate.family_names.split())
        for new in after - before:
            if any(
                owner.get(fold(new)) is not None and owner.get(fold(new)) == owner.get(fold(old))
                for old in before
            ):
                respelled += 1
                break
    assert respelled >= 50


def test_variants_show_each_kind_of_change():
    pairs = originals_and_variants(27, 1500)

    def names(r: Record) -> str:
        return f"{r.given_names} {r.family_names}"

    assert any(names(d).isupper() for _, d in pairs)
    assert any(
        plain(names(d)) == plain(names(o)) and names(d) != names(o) and not names(d).isupper()
        for o, d in pairs
    )  # accents only
    assert any(
        len(d.given_names.split()) < len(o.given_names.split()) and d.family_names == o.family_names
        for o, d in pairs
    )  # compound given name shortened
    squeezed = [
        (o, d)
        for o, d in pairs
        if names(d).replace(" ", "").replace("-", "").replace("'", "").casefold()
        == names(o).replace(" ", "").replace("-", "").replace("'", "").casefold()
        and names(d) != names(o)
    ]
    assert squeezed  # particles joined or split
    assert any(len(d.nationalities) == 2 for _, d in pairs)
