"""Row scope on writes (issue 16, point 5), on a copy of the sample store: an analyst limited to one
portfolio publishes a 3-line ledger for one of their projects as the same source as the whole
ledger. The file stands for their portfolio's part of that source: their projects' lines become the
file's, and every project of the other portfolios keeps its lines exactly (30 projects, before the
fix replaced by the 3 lines); `pmo rebuild` replays the same merge. A file with a row of another
portfolio is refused whole, with the count and an example, and the store is unchanged."""

from __future__ import annotations

import pytest

from pmo import query
from pmo.auth import Scope
from pmo.ingest import IngestFailed, ingest_files, rebuild
from pmo.store import Store

SCOPE = Scope(portfolios=("Digital Channels",))
HEADER = "Cost Center,Cost Center Name,Project,GL Account,Category,Capex/Opex,Fiscal Year,Period,Version,Currency,Amount"
MINE, THEIRS = "PRJ-1001", "PRJ-1021"


def ledger(tmp_path, lines: list[tuple[str, float]]):
    # the sample ledger's own file name: the same source, which a whole-file publish would replace
    path = tmp_path / "fpna_ledger_FY2025-FY2026.csv"
    rows = [f"CC4720,Digital Channels,{pid},615000,Labour,OPEX,FY2026,2026-0{i + 1},Actual,USD,{amount:.2f}"
            for i, (pid, amount) in enumerate(lines)]
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def lines_by_project(store: Store) -> dict[str, tuple[int, float]]:
    rt = query.connect(store)
    try:
        return {pid: (n, round(total, 2)) for pid, n, total in rt.con.execute(
            "select project_id, count(*), sum(amount_original) from financials group by 1").fetchall()}
    finally:
        rt.close()


def test_a_scoped_publish_changes_only_its_own_rows_and_rebuild_keeps_that(sample_store_copy, tmp_path):
    store = Store(sample_store_copy)
    before = lines_by_project(store)
    rt = query.connect(store, scope=SCOPE)
    try:
        mine = {pid for (pid,) in rt.con.execute("select project_id from projects").fetchall()}
    finally:
        rt.close()
    assert len(before) == 40 and len(mine) == 10 and MINE in mine and THEIRS not in mine
    ingest_files(store, [ledger(tmp_path, [(MINE, 100.0), (MINE, 200.0), (MINE, 300.0)])], user="ana",
                 scope=SCOPE)
    after = lines_by_project(store)
    theirs = {k: v for k, v in before.items() if k not in mine}
    assert after == {**theirs, MINE: (3, 600.0)}          # their 30 projects untouched, ours the file's
    version = store.current_version()
    rebuild(store, user="admin")
    assert store.current_version() == version + 1
    assert lines_by_project(store) == after


def test_a_file_with_rows_outside_the_scope_is_refused_whole(sample_store_copy, tmp_path):
    store = Store(sample_store_copy)
    version, before = store.current_version(), lines_by_project(store)
    with pytest.raises(IngestFailed) as refused:
        ingest_files(store, [ledger(tmp_path, [(MINE, 100.0), (THEIRS, 5.0)])], user="ana", scope=SCOPE)
    [message] = refused.value.problems
    assert "1 row is outside your scope" in message and f"project {THEIRS}" in message
    assert "Nothing was stored" in message
    assert store.current_version() == version and lines_by_project(store) == before
