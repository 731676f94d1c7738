"""Shared filters that narrow each other: each filter offers the values that still select a project
under the other filters' choices, and says how many of all its values those are.

Pure: the combinations of filter values the projects carry (queries/filter_combinations.sql) and
the current choices in, options and labels out (pmo/ui/filters.py draws them).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Choice:
    options: list[str]      # what the filter offers, in order
    total: int              # how many values it has with no other filter set
    label: str              # "Department (3 of 7 in Digital Channels)" when narrowed


def choices(combos: pl.DataFrame, selected: dict[str, str | None], labels: dict[str, str],
            quote=str) -> dict[str, Choice]:
    """Per dimension of `labels`: the values of the projects that match every other dimension's
    choice in `selected` (None = all). A dimension's own choice is always offered, even when the
    other choices leave no project with it (the page then says nothing matches), so picking one
    filter never silently clears another. `quote`: how a value is written into a label (the page
    escapes Markdown)."""
    out = {}
    for dim, name in labels.items():
        everything = combos[dim].drop_nulls().unique().sort().to_list()
        others = {d: v for d, v in selected.items() if v is not None and d != dim and d in combos.columns}
        rows = combos
        for d, v in others.items():
            rows = rows.filter(pl.col(d) == v)
        offered = rows[dim].drop_nulls().unique().sort().to_list()
        mine = selected.get(dim)
        if mine is not None and mine not in offered and mine in everything:
            offered = sorted([*offered, mine])
        label = name
        if others and len(offered) < len(everything):
            context = ", ".join(quote(v) for v in others.values())
            label = f"{name} ({len(offered)} of {len(everything)} in {context})"
        out[dim] = Choice(offered, len(everything), label)
    return out
