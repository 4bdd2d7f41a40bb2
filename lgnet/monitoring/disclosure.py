"""Small-cell suppression for every figure the network level sees.

A table is cells (row, column) → value, with its margins published beside it: the total
of each row (a city's figure), of each column (the network's figure for a breakdown
value) and the grand total. Primary suppression hides every value from 1 to the
threshold minus 1 (zeros are shown). Complementary suppression then hides further
cells until no hidden value can be recomputed from what is published.

Why the check is exact: put the margins in the table as an extra row and column; then
every row and every column says "the cells minus the total make zero". Seen as a graph
(rows and columns are nodes, hidden cells are edges), the hidden values are a flow that
must balance at every node, and a hidden value is fixed by the published ones exactly
when its edge is a bridge (on no cycle). So we add hidden cells until no hidden edge is a
bridge, each time closing a cycle through the bridge with the cheapest rectangle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from decimal import Decimal

TOTAL = "__total__"

Cell = tuple[Hashable, Hashable]


def is_small(value, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def protect_list(values: Mapping[Hashable, Decimal], threshold: int) -> set[Hashable]:
    """A list of cells with its published total (one indicator over the cities)."""
    """Returns the hidden keys, and TOTAL when the list's total must be hidden too."""
    hidden = protect_table({(key, "value"): v for key, v in values.items()}, threshold)
    return {row for row, _col in hidden}


def protect_table(cells: Mapping[Cell, Decimal], threshold: int) -> set[Cell]:
    """The cells to hide in a two-way table whose row, column and grand totals are published.

    With a single column, the row totals are the cells themselves; with a single row, the
    column totals are. Totals are hidden too when needed (they are then in the result
    with TOTAL as their column or row key)."""
    rows = list(dict.fromkeys(r for r, _c in cells))
    cols = list(dict.fromkeys(c for _r, c in cells))
    full: dict[Cell, Decimal] = {}
    for r in rows:
        for c in cols:
            full[(r, c)] = Decimal(cells.get((r, c)) or 0)
    with_row_totals = len(cols) > 1
    with_col_totals = len(rows) > 1
    if with_row_totals:
        for r in rows:
            full[(r, TOTAL)] = sum((full[(r, c)] for c in cols), Decimal(0))
    if with_col_totals:
        for c in cols:
            full[(TOTAL, c)] = sum((full[(r, c)] for r in rows), Decimal(0))
    if with_row_totals and with_col_totals:
        full[(TOTAL, TOTAL)] = sum((full[(r, c)] for r in rows for c in cols), Decimal(0))
    hidden = {cell for cell, value in full.items() if is_small(value, threshold)}
    if not hidden:
        return hidden
    all_rows = rows + ([TOTAL] if with_col_totals else [])
    all_cols = cols + ([TOTAL] if with_row_totals else [])
    if len(all_cols) == 1:
        return _protect_line(hidden, full, [(r, cols[0]) for r in all_rows])
    if len(all_rows) == 1:
        return _protect_line(hidden, full, [(rows[0], c) for c in all_cols])
    while True:
        bridge = _first_bridge(hidden)
        if bridge is None:
            return hidden
        hidden |= _cheapest_rectangle(bridge, hidden, full, all_rows, all_cols)


def _protect_line(hidden: set[Cell], full: Mapping[Cell, Decimal], line: list[Cell]) -> set[Cell]:
    """One published equation (the cells of a line add up to its total): a single hidden
    entry would be its difference, so hide a second one, the smallest non-zero if any."""
    on_line = [cell for cell in line if cell in full]
    if sum(1 for cell in on_line if cell in hidden) != 1:
        return hidden
    candidates = sorted(
        (cell for cell in on_line if cell not in hidden),
        key=lambda cell: (full[cell] == 0, full[cell]),
    )
    return hidden | set(candidates[:1])


def _first_bridge(hidden: set[Cell]) -> Cell | None:
    """A hidden cell that lies on no cycle of hidden cells (Tarjan's bridges, iterative)."""
    graph: dict[tuple, list[tuple[tuple, int]]] = defaultdict(list)
    edges = sorted(hidden, key=repr)
    for index, (r, c) in enumerate(edges):
        graph[("r", r)].append((("c", c), index))
        graph[("c", c)].append((("r", r), index))
    order: dict[tuple, int] = {}
    low: dict[tuple, int] = {}
    counter = 0
    for root in graph:
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, -1, iter(graph[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for other, edge in neighbours:
                if edge == via:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, edge, iter(graph[other])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    return edges[via]
    return None


def _cheapest_rectangle(
    bridge: Cell, hidden: set[Cell], full: Mapping[Cell, Decimal], rows: list, cols: list
) -> set[Cell]:
    """Hide (r, c2), (r2, c2), (r2, c) so that the bridge (r, c) lies on a cycle.

    Cheapest first: fewest zeros hidden (zeros are shown whenever possible), then fewest
    new cells, then the smallest amount of information lost."""
    r, c = bridge
    best, best_cost = None, None
    for r2 in rows:
        if r2 == r:
            continue
        for c2 in cols:
            if c2 == c:
                continue
            new = {cell for cell in ((r, c2), (r2, c2), (r2, c)) if cell not in hidden}
            cost = (
                sum(1 for cell in new if full[cell] == 0),
                len(new),
                sum((full[cell] for cell in new), Decimal(0)),
            )
            if best_cost is None or cost < best_cost:
                best, best_cost = new, cost
    return best or set()


def recoverable(cells: Mapping[Cell, Decimal], hidden: set[Cell]) -> set[Cell]:
    """The hidden cells whose value follows from the published ones (for tests and checks):
    linear algebra over the row and column equations, independent of the graph argument."""
    from fractions import Fraction

    rows = list(dict.fromkeys(r for r, _c in cells))
    cols = list(dict.fromkeys(c for _r, c in cells))
    full = {(r, c): Fraction(cells.get((r, c)) or 0) for r in rows for c in cols}
    equations = []  # (coefficients over unknown cells, constant)
    lines = []
    if len(cols) > 1:
        lines += [([(r, c) for c in cols], (r, TOTAL)) for r in rows]
    if len(rows) > 1:
        lines += [([(r, c) for r in rows], (TOTAL, c)) for c in cols]
    if len(cols) > 1 and len(rows) > 1:
        lines.append(([(TOTAL, c) for c in cols], (TOTAL, TOTAL)))
        lines.append(([(r, TOTAL) for r in rows], (TOTAL, TOTAL)))
    totals = {}
    for r in rows:
        totals[(r, TOTAL)] = sum(full[(r, c)] for c in cols)
    for c in cols:
        totals[(TOTAL, c)] = sum(full[(r, c)] for r in rows)
    totals[(TOTAL, TOTAL)] = sum(full.values())
    value = {**full, **totals}
    unknown = sorted({cell for cell in hidden if cell in value}, key=repr)
    index = {cell: i for i, cell in enumerate(unknown)}
    for members, total in lines:
        coefficients = [Fraction(0)] * len(unknown)
        constant = Fraction(0)
        for cell, sign in [*((m, 1) for m in members), (total, -1)]:
            if cell in index:
                coefficients[index[cell]] += sign
            else:
                constant -= sign * value[cell]
        if any(coefficients):
            equations.append(coefficients)
    # Row-reduce; a unknown is determined when a unit vector lies in the row space.
    matrix = [row[:] for row in equations]
    pivots = []
    row_at = 0
    for col in range(len(unknown)):
        pivot = next((i for i in range(row_at, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[row_at], matrix[pivot] = matrix[pivot], matrix[row_at]
        lead = matrix[row_at][col]
        matrix[row_at] = [x / lead for x in matrix[row_at]]
        for i in range(len(matrix)):
            if i != row_at and matrix[i][col] != 0:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[row_at], strict=True)]
        pivots.append(col)
        row_at += 1
    found = set()
    for i, col in enumerate(pivots):
        if all(matrix[i][j] == 0 for j in range(len(unknown)) if j != col):
            found.add(unknown[col])
    return found
