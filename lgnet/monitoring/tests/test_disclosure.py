"""Small-cell suppression: no published value from 1 to threshold-1, and no hidden value
that can be worked out from the published cells and totals."""

import random
from decimal import Decimal

import pytest

from lgnet.monitoring.disclosure import TOTAL, protect_list, protect_table, recoverable

THRESHOLD = 5


def _published(cells, hidden):
    """Every value a reader sees: the cells and the row, column and grand totals."""
    rows = {r for r, _c in cells}
    cols = {c for _r, c in cells}
    seen = {cell: v for cell, v in cells.items() if cell not in hidden}
    if len(cols) > 1:
        for r in rows:
            if (r, TOTAL) not in hidden:
                seen[(r, TOTAL)] = sum(v for (rr, _c), v in cells.items() if rr == r)
    if len(rows) > 1:
        for c in cols:
            if (TOTAL, c) not in hidden:
                seen[(TOTAL, c)] = sum(v for (_r, cc), v in cells.items() if cc == c)
    return seen


def _random_table(rng):
    rows, cols = rng.randint(1, 7), rng.randint(1, 6)
    return {
        (f"city{r}", f"v{c}"): Decimal(rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 40]))
        for r in range(rows)
        for c in range(cols)
    }


@pytest.mark.parametrize("seed", range(0, 4000, 100))
def test_random_tables_publish_no_small_value_and_hide_nothing_recoverable(seed):
    # A property test over 4000 random tables (100 per case), reproducible by seed.
    for offset in range(100):
        rng = random.Random(seed + offset)
        cells = _random_table(rng)
        hidden = protect_table(cells, THRESHOLD)
        published = _published(cells, hidden)
        small = {cell: v for cell, v in published.items() if 0 < v < THRESHOLD}
        assert not small, (seed + offset, small)
        assert recoverable(cells, hidden) == set(), (seed + offset, cells, hidden)


def test_a_lone_small_cell_gets_a_complement_in_its_row_and_column():
    cells = {
        ("taranto", "F"): Decimal(3),
        ("taranto", "M"): Decimal(40),
        ("milano", "F"): Decimal(20),
        ("milano", "M"): Decimal(50),
    }
    hidden = protect_table(cells, THRESHOLD)
    assert ("taranto", "F") in hidden
    # Without complements, F of Taranto = Taranto's total - M of Taranto.
    assert ("taranto", "M") in hidden or ("taranto", TOTAL) in hidden
    assert recoverable(cells, hidden) == set()


def test_the_recoverability_check_finds_a_lone_hidden_cell():
    cells = {("a", "x"): Decimal(3), ("a", "y"): Decimal(9), ("b", "x"): Decimal(8)}
    assert recoverable(cells, {("a", "x")}) == {("a", "x")}


def test_zeros_and_large_values_are_shown():
    cells = {("a", "x"): Decimal(0), ("a", "y"): Decimal(9), ("b", "x"): Decimal(8)}
    cells[("b", "y")] = Decimal(12)
    assert protect_table(cells, THRESHOLD) == set()


def test_a_list_of_cities_hides_a_second_city_beside_a_small_one():
    values = {"taranto": Decimal(65), "milano": Decimal(2), "roma": Decimal(30), "bari": Decimal(7)}
    hidden = protect_list(values, THRESHOLD)
    assert "milano" in hidden
    assert "bari" in hidden  # the smallest other value: else milano = total - the others
    assert TOTAL not in hidden


def test_a_small_total_is_hidden():
    hidden = protect_list({"taranto": Decimal(1), "milano": Decimal(0)}, THRESHOLD)
    assert hidden == {"taranto", TOTAL}
