"""Files refused as a whole: one message naming the file, what is wrong and what to do; `pmo ingest`
exits 2 and every file of the store is byte-for-byte as it was (docs/importing.md, "Refused files").

One test per refusal class: a file with a header and no data rows, a damaged copy (NUL bytes, an
invalid encoding sequence), a typed column that cannot be read, a workbook that inflates to far
more than it is (a zip bomb; time and memory measured in a resource-limited subprocess), amounts
in a currency the file does not state, and a mapping that makes nonsense of a file.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pmo.ingest import ingest_files
from pmo.store import Store

from conftest import FIXTURES, ROOT, run_pmo
from helpers.zipbomb import write_workbook

LEDGER = FIXTURES / "ledger" / "fpna_ledger_2026-03.csv"       # 7 financials rows of ledger:fpna_ledger
JIRA = FIXTURES / "jira" / "cloud_all_fields.csv"


def hashes(root: Path) -> dict[str, str]:
    """Every file and folder under the store, files with the SHA-256 of their bytes."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


@pytest.fixture()
def seeded(tmp_path) -> Path:
    """A store holding one ledger (the source a header-only export of it would wipe) and Jira."""
    store = Store(tmp_path / "store")
    ingest_files(store, [LEDGER, JIRA], user="seed")
    return store.root


def refused(store_root: Path, *args: str) -> str:
    """Run `pmo ingest ARGS`; assert exit 2 and an unchanged store; return stderr."""
    before = hashes(store_root)
    r = run_pmo("ingest", *args, "--summaries", "skip", data_dir=store_root)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "nothing was stored; the store is unchanged." in r.stderr
    assert "Traceback" not in r.stderr
    assert hashes(store_root) == before
    return r.stderr


# --- 1. no data rows -----------------------------------------------------------------------------

def test_header_only_export_is_refused_then_allowed_on_purpose(seeded, tmp_path):
    empty = tmp_path / "fpna_ledger_2026-04.csv"          # the same source: ledger:fpna_ledger
    empty.write_text(LEDGER.read_text().splitlines()[0] + "\n")
    err = refused(seeded, str(empty))
    assert ("pmo: fpna_ledger_2026-04.csv: no data rows: publishing it would remove 7 rows of "
            "ledger:fpna_ledger (financials 7) from the dashboard.") in err
    assert "pass --allow-empty" in err
    # Meant on purpose: --allow-empty publishes it, and the source is cleared.
    r = run_pmo("ingest", str(empty), "--allow-empty", "--summaries", "skip", data_dir=seeded)
    assert r.returncode == 0, r.stderr
    assert Store(seeded).manifest().segment("financials", "ledger:fpna_ledger").rows == 0


def test_header_only_export_of_a_new_source_says_there_is_nothing_to_publish(seeded, tmp_path):
    empty = tmp_path / "Jira.csv"
    empty.write_text(JIRA.read_text().splitlines()[0] + "\n")
    err = refused(seeded, str(empty))
    assert "Jira.csv: no data rows: the file has a header and nothing below it, so there is nothing to publish." in err


# --- 2. damaged text ------------------------------------------------------------------------------

def test_nul_bytes_are_refused_with_line_and_offset(seeded, tmp_path):
    data = JIRA.read_bytes()
    lines = data.split(b"\n")
    at = len(b"\n".join(lines[:3])) + 1 + 10                # 10 bytes into line 4
    damaged = tmp_path / "jira_copy.csv"
    damaged.write_bytes(data[:at] + b"\x00" * 16 + data[at:])
    err = refused(seeded, str(damaged))
    assert f"jira_copy.csv: refused: a NUL byte (0x00) at line 4, byte offset {at:,}." in err
    assert "copy or export the file again" in err


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf-8", "utf-8 with BOM"])
def test_invalid_utf8_is_refused_with_line_and_offset(seeded, tmp_path, bom):
    # UTF-8 text (é, ü ...) with one damaged byte: not read as Windows-1252 (every é would become
    # Ã©), refused at the byte.
    good = ("Summary,Issue key,Issue Type,Status,Project key,Assignee\n"
            "Réunion de lancement,DMG-1,Task,Done,DMG,Hélène Dubois\n"
            "Zürich rollout,DMG-2,Task,Done,DMG,José Núñez\n").encode()
    damaged = tmp_path / "jira_dmg.csv"
    damaged.write_bytes(bom + good + b"Cut\xff-over,DMG-3,Task,Done,DMG,\n")
    err = refused(seeded, str(damaged))
    offset = len(bom) + len(good) + len(b"Cut")
    assert f"jira_dmg.csv: refused: bytes that are not valid UTF-8 (0xFF 0x2D) at line 4, byte offset {offset}" in err
    assert "the file mixes encodings or is damaged" in err


# --- 3. a typed column that cannot be read ------------------------------------------------------------

def test_column_of_unreadable_dates_is_refused(seeded, tmp_path):
    f = tmp_path / "jira_dates.csv"
    f.write_text("Summary,Issue key,Issue Type,Status,Project key,Created,Updated,Resolved,Due date\n"
                 "A,PAY-1,Task,Done,PAY,yesterday,today,soon,tbd\n"
                 "B,PAY-2,Task,Done,PAY,yesterday,today,later,next sprint\n"
                 "C,PAY-3,Task,Done,PAY,yesterday,today,,Q3\n"
                 "D,PAY-4,Task,To Do,PAY,yesterday,today,,31/31/2025\n")
    err = refused(seeded, str(f))
    assert ("jira_dates.csv: column 'Due date' cannot be read: 4 of its 4 values are not dates "
            "(e.g. 'tbd', 'next sprint', 'Q3')") in err
    assert "unreadable_column_share = 0.5" in err


def test_a_few_bad_cells_are_still_cleared_not_refused(seeded, tmp_path):
    f = tmp_path / "jira_few.csv"
    f.write_text("Summary,Issue key,Issue Type,Status,Project key,Due date\n"
                 "A,FEW-1,Task,Done,FEW,05/Oct/25 12:00 AM\nB,FEW-2,Task,Done,FEW,06/Oct/25 12:00 AM\n"
                 "C,FEW-3,Task,Done,FEW,tbd\n")
    r = run_pmo("ingest", str(f), "--summaries", "skip", data_dir=seeded)
    assert r.returncode == 0, r.stderr
    assert "0 rows rejected (not stored), 1 cell cleared (row stored, the value left empty)" in r.stdout
    assert "  cleared row 4, column Due date: not a date ('tbd'); row stored, the value left empty" in r.stdout


# --- 4. a zip bomb ----------------------------------------------------------------------------------

# The refusal runs in a child process whose CPU time (RLIMIT_CPU) and address space (RLIMIT_AS)
# are capped once its imports are done; it reports the CPU time and the peak memory (ru_maxrss)
# the ingest added. A shared machine slows wall time, not these.
CHILD = r"""
import resource, sys, time
from pmo import cli, ingest, readers    # every import before the limits

used = resource.getrusage(resource.RUSAGE_SELF)
cpu0, rss0 = used.ru_utime + used.ru_stime, used.ru_maxrss
vm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmSize:")) * 1024
resource.setrlimit(resource.RLIMIT_CPU, (int(cpu0) + 3, int(cpu0) + 4))
resource.setrlimit(resource.RLIMIT_AS, (vm + 768 * 2**20, vm + 768 * 2**20))
t0 = time.perf_counter()
code = cli.main(["ingest", sys.argv[1], "--data-dir", sys.argv[2], "--summaries", "skip"])
wall = time.perf_counter() - t0
used = resource.getrusage(resource.RUSAGE_SELF)
print(f"RESULT {code} {used.ru_utime + used.ru_stime - cpu0:.3f} {wall:.3f} {(used.ru_maxrss - rss0) / 1024:.1f}")
"""


def ingest_in_limited_child(path: Path, store_root: Path) -> tuple[int, float, float, float, str]:
    r = subprocess.run([sys.executable, "-c", CHILD, str(path), str(store_root)], capture_output=True, text=True,
                       cwd=ROOT, env=dict(os.environ), timeout=120)
    line = next((ln for ln in r.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert line, (r.returncode, r.stdout, r.stderr)
    code, cpu, wall, added_mb = line.split()[1:]
    return int(code), float(cpu), float(wall), float(added_mb), r.stderr


@pytest.mark.parametrize("forged", [False, True], ids=["honest directory", "forged sizes"])
def test_zip_bomb_is_refused_fast_in_little_memory(seeded, tmp_path, forged):
    # ~300 KB on disk, 300 MB of sheet XML once inflated (~1,000:1). The forged one declares 90 KB
    # for it, passing the ratio check: it is caught while inflating, a bounded slice at a time.
    bomb = write_workbook(tmp_path / "ProjectData.xlsx", 300, declare_bytes=90_000 if forged else None)
    assert bomb.stat().st_size < 400_000
    before = hashes(seeded)
    code, cpu, wall, added_mb, err = ingest_in_limited_child(bomb, seeded)
    assert code == 2, err
    if forged:
        assert ("ProjectData.xlsx: refused: 'xl/worksheets/sheet1.xml' inflates to more than the 90,000 bytes the "
                "archive declares for it") in err
    else:
        assert ("ProjectData.xlsx: refused: 'xl/worksheets/sheet1.xml' inside the workbook inflates 1,0" in err
                and "more than the 100:1 allowed ([ingest] workbook_max_compression_ratio)" in err)
    assert hashes(seeded) == before
    # Bounds: well under a second of CPU, a few tens of MB at most (parsing it took ~1.4 GB).
    assert cpu < 1.0, cpu
    assert added_mb < 40, added_mb
    print(f"zip bomb ({'forged' if forged else 'honest'}): refused in {wall:.3f} s wall, {cpu:.3f} s CPU, "
          f"+{added_mb:.1f} MB peak")


def test_workbook_over_the_size_limit_is_refused(seeded, tmp_path):
    (seeded / "config.toml").write_text("[ingest]\nworkbook_max_uncompressed_mb = 2\n")
    big = write_workbook(tmp_path / "plan.xlsx", 3)
    err = refused(seeded, str(big))
    assert "plan.xlsx: refused: the workbook inflates to 3 MB, more than the 2 MB allowed" in err


# --- 5. an amount in an unstated currency ----------------------------------------------------------

def test_amounts_in_an_unstated_currency_are_refused(seeded, tmp_path):
    # A CJI3 layout with only the CO-area value and no CO-area currency column: the currency of the
    # amounts is stated nowhere, so they are not read as the reporting currency.
    f = tmp_path / "cji3_2026-02.csv"
    f.write_text("Project Definition;WBS Element;Cost Element;Posting Date;Document Number;Val/COArea Crcy\n"
                 "P-100200;P-100200-01;615000;03.02.2026;100491;1.000,00\n"
                 "P-100200;P-100200-02;400000;10.02.2026;100492;250,50-\n")
    err = refused(seeded, str(f))
    assert ("cji3_2026-02.csv: the currency of the amounts in 'Val/COArea Crcy' is stated nowhere in the file "
            "(2 rows of financials") in err
    assert "Amounts are never assumed to be in the reporting currency. Pass --currency CODE" in err
    r = run_pmo("ingest", str(f), "--currency", "EUR", "--summaries", "skip", data_dir=seeded)
    assert r.returncode == 0, r.stderr
    assert "note: financials: amounts with no stated currency read as EUR (--currency EUR) (2 rows)" in r.stdout


# --- 6. a mapping that makes nonsense of a file --------------------------------------------------------

WEATHER = ("station,date,temp_max_c,temp_min_c,precip_mm,condition\n"
           "Oslo-Blindern,2026-01-05,-2.1,-8.4,0.0,Sunny\n"
           "Bergen-Florida,2026-01-05,4.3,1.2,12.5,Rain\n"
           "Tromso-Langnes,2026-01-05,-6.0,-11.3,2.1,Snow\n")


def test_weather_stations_are_not_offered_a_close_tool(seeded, tmp_path):
    f = tmp_path / "weather.csv"
    f.write_text(WEATHER)
    err = refused(seeded, str(f))
    assert "weather.csv: no known export layout recognised in the columns (station, date" in err
    assert "No known tool is close to this header." in err and "Closest:" not in err


def test_mapping_weather_onto_projects_is_refused(seeded, tmp_path):
    f = tmp_path / "weather.csv"
    f.write_text(WEATHER)
    # Without the columns that make a row a project (its name):
    thin = tmp_path / "thin.toml"
    thin.write_text('table = "projects"\nsource = "weather"\n[columns]\nproject_id = "station"\n')
    err = refused(seeded, str(f), "--mapping", str(thin))
    assert ("thin.toml: refused: a mapping onto projects must give project_name in [columns] or [constants]; "
            "without them the rows are not projects.") in err
    # With them, but a column that does not read as what it is mapped to:
    nonsense = tmp_path / "nonsense.toml"
    nonsense.write_text('table = "projects"\nsource = "weather"\n[columns]\nproject_id = "station"\n'
                        'project_name = "station"\nstart_date = "date"\nreported_health = "condition"\n')
    err = refused(seeded, str(f), "--mapping", str(nonsense))
    assert ("weather.csv: column 'condition' cannot be read: 3 of its 3 values are not health ratings "
            "(green / amber / red, on track / at risk ...) (e.g. 'Sunny', 'Rain', 'Snow')") in err
    assert "The mapping puts 'condition' in projects.reported_health" in err
    assert not list((seeded / "mappings").glob("*.toml"))
