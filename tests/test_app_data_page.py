"""The Data page under AppTest: upload -> preview -> publish, the column mapper, history (rollback,
remove, raw download), a busy store, the data-quality report and the drop folder.

Uploads go through `at.file_uploader[0].upload(name, bytes)` (AppTest emulates st.file_uploader
since Streamlit 1.56), so the page's own staging, preview and publish code runs.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import time
from datetime import date

import pytest
from conftest import FIXTURES, ROOT
from streamlit.testing.v1 import AppTest

from pmo import inbox, mapping, quality, query
from pmo.ingest import analyse
from pmo.store import Store
from pmo.ui.data_page import state as data_state
from pmo.ui.data_page import upload as data_upload

pytestmark = pytest.mark.app

PAGE = "pages/4_Data.py"
JIRA = FIXTURES / "jira" / "cloud_all_fields.csv"      # 8 rows: 7 tasks (PAY, OPS) + 2 projects; row 6 has no key
ACME = FIXTURES / "mapping" / "acme_register.csv"
ACME_DEC = FIXTURES / "mapping" / "acme_register_december.csv"
NOT_AN_EXPORT = FIXTURES / "store" / "not_an_export.csv"
FX_BAD = FIXTURES / "store" / "fx_bad.csv"

ACME_COLUMNS = {"project_id": "Proj #", "project_name": "Title", "manager": "Owner", "start_date": "Kick-off",
                "finish_date": "Go-live", "budget_original": "Budget (EUR)", "reported_health": "RAG",
                "percent_complete": "Done"}


@pytest.fixture()
def data_dir(sample_store_copy, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_copy))
    monkeypatch.chdir(ROOT)
    return sample_store_copy


@pytest.fixture()
def quiet_dir(data_dir):
    """The store with the dashboard's drop-folder thread off (tests that press Process now)."""
    (data_dir / "config.toml").write_text("[store]\ninbox_interval_seconds = 0\n")
    return data_dir


def open_page(view: str | None = None) -> AppTest:
    """The Data page as a user reaches it: the app starts on the home page, then switches."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    at.switch_page(PAGE).run()
    assert_clean(at)
    assert at.segmented_control(key="data_view").value == "Upload"
    if view:
        at.segmented_control(key="data_view").set_value(view).run()
        assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def plain(text: str) -> str:
    """Markdown as it reads: file names, values and notes from files are escaped by the page."""
    return re.sub(r"\\(.)", r"\1", text)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def by_key(widgets, prefix: str):
    found = [w for w in widgets if w.key and w.key.startswith(prefix)]
    assert found, f"no widget with a key starting {prefix!r}"
    return found


def jira_fixture_tasks(store: Store) -> int:
    """Rows stored from the Jira fixture (its own source: the sample data has other Jira projects)."""
    return query.connect(store).con.sql(
        "select count(*) from seg_tasks where source = 'jira:issues:OPS+PAY'").fetchall()[0][0]


def records(df) -> list[dict]:
    """A shown table's rows, with missing cells as None (AppTest hands back pandas, NaN for null)."""
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in df.to_dict("records")]


def upload(at: AppTest, *paths) -> AppTest:
    for p in paths:
        at.file_uploader[0].upload(p.name, p.read_bytes(), "text/csv")
    at.run()
    assert_clean(at)
    return at


# --- upload -> preview -> publish ----------------------------------------------------------------

def test_upload_preview_publish(data_dir):
    store = Store(data_dir)
    v0 = store.current_version()
    at = open_page()
    assert metrics(at)["Store version"] == str(v0)
    upload(at, JIRA)

    m = metrics(at)
    assert (m["Rows read"], m["Rows for tasks"], m["Rows for projects"], m["Rows rejected in file"],
            m["Cells cleared in file"]) == ("8", "7", "2", "1", "0")
    assert any("Jira issue CSV → **tasks** (7 rows), **projects** (2 rows)" in md.value for md in at.markdown)
    # The preview: the rows as stored (validated canonical columns), with their row in the file.
    tasks = at.dataframe[0].value
    assert tasks["task_id"].tolist() == ["PAY-214", "PAY-219", "PAY-200", "PAY-230", "PAY-231", "PAY-232", "OPS-41"]
    assert tasks["file_row"].tolist() == [2, 3, 4, 5, 7, 8, 9]      # row 6 was rejected
    assert set(tasks["project_id"]) == {"PAY", "OPS"}
    # The data-quality findings: the rejected row with its reason, and the parser's notes.
    rejects = at.dataframe[-1].value
    assert records(rejects) == [
        {"row": 6, "what": "row rejected", "table": "tasks", "column": "Issue key", "value": None,
         "reason": "Issue key is empty"}]
    assert any("Due date: dates read as day/month-name/year" in plain(md.value) for md in at.markdown)
    # The as-of date: the file carries none, so today; changing it makes the preview again.
    [as_of] = at.date_input
    assert as_of.value == date.today()
    as_of.set_value(date(2026, 11, 24)).run()
    assert_clean(at)
    assert set(at.dataframe[0].value["as_of"].astype(str)) == {"2026-11-24"}
    assert store.current_version() == v0                           # nothing stored by a preview

    at.button(key="data_publish").click().run()
    assert_clean(at)
    assert store.current_version() == v0 + 1
    [success] = at.success
    assert f"Version {v0 + 1}" in success.value and "cloud_all_fields.csv" in success.value
    assert metrics(at)["Store version"] == str(v0 + 1)
    last = store.manifest().ingests[-1]
    assert (last["file_name"], last["as_of"], last["rows_accepted"], last["rows_rejected"]) == \
        ("cloud_all_fields.csv", "2026-11-24", 9, 1)
    assert store.raw_path(last["sha256"], last["file_name"]).read_bytes() == JIRA.read_bytes()
    assert jira_fixture_tasks(store) == 7
    # The uploader and previews are cleared after a publish.
    assert not at.file_uploader[0].value and "Rows read" not in metrics(at)


def test_same_file_again_is_flagged(data_dir):
    at = upload(open_page(), JIRA)
    at.button(key="data_publish").click().run()
    upload(at, JIRA)
    assert any("already ingested" in w.value for w in at.warning)


def test_cancel_forgets_the_uploads_and_stores_nothing(data_dir):
    store = Store(data_dir)
    v0 = store.current_version()
    at = upload(open_page(), JIRA)
    assert "Rows read" in metrics(at)
    at.button(key="data_cancel").click().run()
    assert_clean(at)
    assert "Rows read" not in metrics(at) and not at.file_uploader[0].value
    assert store.current_version() == v0


def test_several_files_with_different_as_of_are_published_one_version_per_date(data_dir):
    store = Store(data_dir)
    v0 = store.current_version()
    at = upload(open_page(), FIXTURES / "jira" / "cloud_current_fields.csv", FIXTURES / "jira" / "german_cloud.csv")
    assert at.button(key="data_publish").label == "Publish 2 files"
    at.date_input[1].set_value(date(2026, 11, 1)).run()
    at.button(key="data_publish").click().run()
    assert_clean(at)
    assert store.current_version() == v0 + 2
    log = {i["file_name"]: (i["as_of"], i["version"]) for i in store.manifest().ingests[-2:]}
    assert log == {"cloud_current_fields.csv": (date.today().isoformat(), v0 + 1),
                   "german_cloud.csv": ("2026-11-01", v0 + 2)}


def test_file_with_problems_is_not_published(data_dir):
    at = upload(open_page(), FX_BAD)
    assert any("fx_bad.csv: column 'Rate to USD' cannot be read" in plain(e.value) for e in at.error)
    assert at.button(key="data_publish").disabled
    assert any("Not published: fx_bad.csv" in plain(c.value) for c in at.caption)


def test_busy_store_keeps_previews_then_publishes(data_dir, monkeypatch):
    monkeypatch.setattr(data_upload, "PUBLISH_ATTEMPTS", 2)        # where the publish reads it
    store = Store(data_dir)
    v0 = store.current_version()
    at = upload(open_page(), JIRA)
    with store.writer():                                   # someone else is publishing
        at.button(key="data_publish").click().run()
    assert_clean(at)
    assert store.current_version() == v0
    assert [(s.state, s.label) for s in at.status] == [("error", data_state.BUSY_MESSAGE)]
    assert metrics(at)["Rows for tasks"] == "7"             # the preview is still there
    at.button(key="data_publish").click().run()
    assert store.current_version() == v0 + 1


def test_header_only_file_is_refused_until_confirmed(data_dir, tmp_path):
    """A file with a header and no rows would clear its source: refused, published only after the
    person confirms, and then the preview says what it replaces."""
    store = Store(data_dir)
    v0 = store.current_version()
    empty = tmp_path / "fx_rates_2026.csv"
    empty.write_text("Currency,Rate to USD,Valid From\n")
    at = upload(open_page(), empty)
    [error] = [e for e in at.error if "no data rows" in e.value]
    assert plain(error.value).startswith("fx_rates_2026.csv: no data rows: publishing it would remove ")
    assert at.button(key="data_publish").disabled
    by_key(at.button, "data_allow_empty_")[0].click().run()
    assert_clean(at)
    assert any("no data rows: publishing it replaces" in w.value for w in at.warning)
    assert not at.button(key="data_publish").disabled
    at.button(key="data_publish").click().run()
    assert_clean(at)
    assert store.current_version() == v0 + 1
    assert store.manifest().ingests[-1]["allow_empty"] is True


def test_currency_option_settles_unstated_amounts(data_dir, tmp_path):
    store = Store(data_dir)
    wide = tmp_path / "fpna_wide_FY26.csv"
    shutil.copy(FIXTURES / "ledger" / "fpna_wide_FY26.csv", wide)
    at = upload(open_page(), wide)
    assert any("is stated nowhere in the file" in e.value for e in at.error)
    by_key(at.text_input, "data_currency_")[0].input("eur").run()
    assert_clean(at)
    assert not at.error and not at.button(key="data_publish").disabled
    assert any("read as EUR (--currency EUR)" in plain(md.value) for md in at.markdown)
    at.button(key="data_publish").click().run()
    assert_clean(at)
    last = store.manifest().ingests[-1]
    assert (last["file_name"], last["currency"]) == ("fpna_wide_FY26.csv", "EUR")


def test_rejected_rows_and_cleared_cells_are_counted_apart(data_dir, tmp_path):
    # Clarity row 4 reports its actual cost in another currency than its budget: the row is stored,
    # that value left empty (a cleared cell), not counted as a rejected row.
    at = upload(open_page(), FIXTURES / "clarity" / "investments.csv")
    m = metrics(at)
    assert (m["Rows rejected in file"], m["Cells cleared in file"]) == ("0", "1")
    assert any("1 value could not be read and will be left empty; its row is stored" in i.value for i in at.info)
    assert not [w for w in at.warning if "cannot be accepted" in w.value]
    at.button(key="data_publish").click().run()
    assert_clean(at)
    [success] = at.success
    assert "0 rows rejected (not stored), 1 cell cleared (row stored, the value left empty)" in success.value


# --- the column mapper ---------------------------------------------------------------------------

def fill_acme_mapper(at: AppTest) -> None:
    assert by_key(at.selectbox, "data_map_table_")[0].value == "projects"
    for col, header in ACME_COLUMNS.items():
        [box] = [s for s in at.selectbox if s.key and s.key.endswith(f"_projects_{col}")]
        box.set_value(header)
    by_key(at.selectbox, "data_map_dates_")[0].set_value("dmy")
    by_key(at.selectbox, "data_map_decimal_")[0].set_value(",")
    next(t for t in at.text_input if t.key.endswith("_projects_currency")).input("EUR")
    next(t for t in at.text_input if t.key.endswith("_projects_portfolio")).input("Acme Operations")
    at.run()
    assert_clean(at)


def test_unknown_layout_opens_the_mapper_and_the_mapping_is_kept(data_dir):
    store = Store(data_dir)
    v0 = store.current_version()
    at = upload(open_page(), ACME)
    assert not at.error
    assert "No importer recognises this file's columns" in at.info[0].value
    assert any(plain(c.value).startswith("acme_register.csv: no known export layout") for c in at.caption)
    # The mapper opens on `projects` with the columns it could guess from common spellings.
    guessed = {s.key.rsplit("_projects_", 1)[1]: s.value for s in at.selectbox
               if s.key and "_projects_" in s.key and s.value != "—"}
    assert guessed == {"project_id": "Proj #", "project_name": "Title", "manager": "Owner",
                       "start_date": "Kick-off", "finish_date": "Go-live", "reported_health": "RAG",
                       "percent_complete": "Done"}
    next(s for s in at.selectbox if s.key and s.key.endswith("_projects_project_id")).set_value("—").run()
    assert by_key(at.button, "data_map_preview_")[0].disabled        # project_id is required
    assert any("projects` needs project_id" in w.value for w in at.warning)
    fill_acme_mapper(at)
    assert by_key(at.button, "data_map_publish_")[0].disabled         # not before a preview

    by_key(at.button, "data_map_preview_")[0].click().run()
    assert_clean(at)
    assert not at.error
    m = metrics(at)
    assert (m["Rows read"], m["Rows for projects"], m["Rows rejected in file"],
            m["Cells cleared in file"]) == ("3", "2", "1", "0")
    preview = at.dataframe[0].value
    assert preview["project_id"].tolist() == ["A-01", "A-02"]
    assert preview["budget_original"].tolist() == [1_250_000.0, 480_500.5]   # '1.250.000,00', '480.500,50'
    assert [str(d)[:10] for d in preview["start_date"]] == ["2026-02-03", "2026-01-15"]   # day first
    assert preview["percent_complete"].tolist() == [0.35, 0.80]
    assert preview["portfolio"].tolist() == ["Acme Operations"] * 2
    assert records(at.dataframe[-1].value) == [
        {"row": 4, "what": "row rejected", "table": "projects", "column": "Budget (EUR)", "value": "abc",
         "reason": "cannot read 'Budget (EUR)' as a number"}]
    toml_text = at.code[0].value
    assert 'project_id = "Proj #"' in toml_text and 'start_date = "dmy"' in toml_text
    # Changing the mapping after the preview asks for a new preview before publishing.
    next(t for t in at.text_input if t.key.endswith("_projects_portfolio")).input("Acme Ops").run()
    assert by_key(at.button, "data_map_publish_")[0].disabled
    next(t for t in at.text_input if t.key.endswith("_projects_portfolio")).input("Acme Operations").run()
    assert not by_key(at.button, "data_map_publish_")[0].disabled

    by_key(at.button, "data_map_publish_")[0].click().run()
    assert_clean(at)
    assert store.current_version() == v0 + 1
    assert "Mapped export" in at.success[0].value
    [kept] = list(store.path("mappings").glob("*.toml"))
    m = mapping.load(kept)
    assert (m.table, m.columns, m.constants) == ("projects", ACME_COLUMNS,
                                                 {"currency": "EUR", "portfolio": "Acme Operations"})

    # Next month's file with the same header is recognised by itself: no mapper.
    upload(at, ACME_DEC)
    assert not at.error and not [b for b in at.button if b.key and b.key.startswith("data_map_")]
    assert any("Mapped export" in md.value for md in at.markdown)
    at.button(key="data_publish").click().run()
    con = query.connect(store).con
    assert con.sql("select budget_original, reported_health from projects where project_id = 'A-01'"
                   ).fetchall() == [(1_300_000.0, "red")]


def test_mapping_text_is_valid_toml_for_awkward_names(data_dir, tmp_path):
    """Headers with quotes and backslashes survive the mapper's TOML."""
    from pmo import uploads
    text = uploads.mapping_toml(table="projects", columns={"project_id": 'Proj "#" \\ id', "project_name": "Name"},
                                name='Acme "register"', source="acme")
    (tmp_path / "m.toml").write_text(text)
    assert mapping.load(tmp_path / "m.toml").columns == {"project_id": 'Proj "#" \\ id', "project_name": "Name"}


# --- history: rollback, remove, download ---------------------------------------------------------

def test_rollback_in_one_click_is_logged(data_dir):
    store = Store(data_dir)
    at = upload(open_page(), JIRA)
    at.button(key="data_publish").click().run()
    v1 = store.current_version()
    at = open_page("History")
    versions = at.dataframe[0].value
    assert versions["version"].tolist()[0] == v1 and versions["serving"].tolist()[0] == "● serving"
    at.selectbox(key="data_rollback_pick").set_value(v1 - 1)
    at.button(key="data_rollback").click().run()
    assert any(f"Roll back to version {v1 - 1}?" in w.value for w in at.warning)
    assert store.current_version() == v1                          # nothing before the confirmation
    at.button(key="data_confirm_yes").click().run()
    assert_clean(at)
    assert store.current_version() == v1 + 1
    assert f"Version {v1 + 1} is live: it serves what version {v1 - 1} served." in at.success[0].value
    new, target = store.manifest(), store.manifest(v1 - 1)
    assert new.segments == target.segments and new.active == target.active
    assert (new.action, new.note) == ("rollback", f"rolled back to version {v1 - 1}")
    assert at.dataframe[0].value["action"].tolist()[0] == "rollback"


def test_confirmation_can_be_cancelled(data_dir):
    store = Store(data_dir)
    at = upload(open_page(), JIRA)
    at.button(key="data_publish").click().run()
    v = store.current_version()
    at = open_page("History")
    at.button(key="data_rollback").click().run()
    at.button(key="data_confirm_no").click().run()
    assert_clean(at)
    assert store.current_version() == v and not at.warning


def test_remove_an_ingest(data_dir):
    store = Store(data_dir)
    at = upload(open_page(), JIRA)
    at.button(key="data_publish").click().run()
    iid = store.manifest().ingests[-1]["ingest_id"]
    v = store.current_version()
    at = open_page("History")
    at.selectbox(key="data_ingest_pick").set_value(iid)
    at.button(key="data_remove").click().run()
    at.button(key="data_confirm_yes").click().run()
    assert_clean(at)
    assert store.current_version() == v + 1
    assert f"ingest {iid} removed" in at.success[0].value
    m = store.manifest()
    assert iid not in m.active and m.ingest(iid)["ingest_id"] == iid
    assert jira_fixture_tasks(store) == 0
    ingests = at.dataframe[1].value
    assert ingests.loc[ingests["ingest_id"] == iid, "in_use"].tolist() == [False]
    at.selectbox(key="data_ingest_pick").set_value(iid).run()
    assert at.button(key="data_remove").disabled


def test_raw_file_download(data_dir):
    store = Store(data_dir)
    at = open_page("History")
    first = store.manifest().ingests[0]
    at.selectbox(key="data_ingest_pick").set_value(first["ingest_id"]).run()
    [dl] = [d for d in at.get("download_button") if d.proto.label == "Download the raw file"]   # (+ ingest log CSV/Excel)
    assert store.raw_path(first["sha256"], first["file_name"]).exists()


# --- data quality and the drop folder ------------------------------------------------------------

def test_data_quality_view_matches_the_report(data_dir):
    at = open_page("Data quality")
    report = quality.store_report(query.connect(Store(data_dir)).con)
    table = at.table[0].value
    assert table["Check"].tolist() == [f.title for f in report]
    assert table["Found"].tolist() == [f"{f.rows.height:,}" for f in report]
    assert metrics(at)["Checks with findings"] == str(sum(1 for f in report if f.rows.height))


def test_drop_folder_process_now_and_failed_note(quiet_dir):
    store = Store(quiet_dir)
    v0 = store.current_version()
    store.inbox.mkdir(exist_ok=True)
    past = time.time() - 60                                # put there a minute ago: settled
    for src in (FIXTURES / "jira" / "server_all_fields.csv", NOT_AN_EXPORT):
        shutil.copyfile(src, store.inbox / src.name)
        os.utime(store.inbox / src.name, (past, past))
    at = open_page("Drop folder")
    assert metrics(at)["Waiting in drop folder"] == "2"
    assert any("not watching" in c.value for c in at.caption)
    at.button(key="data_process_now").click().run()
    assert_clean(at)
    assert store.current_version() == v0 + 1
    assert metrics(at)["Waiting in drop folder"] == "0"
    assert any("server_all_fields.csv" in plain(s.value) for s in at.success)
    failed_note = next(c.value for c in at.code if "not_an_export.csv was not ingested" in c.value)
    assert "no known export layout" in failed_note and "What to do:" in failed_note
    processed = at.table[-1].value.map(plain)                     # st.table cells are Markdown
    assert processed["File"].tolist() == ["server_all_fields.csv"]
    assert processed["Kept as"].tolist()[0].endswith("-server_all_fields.csv")


def test_dashboard_thread_ingests_the_drop_folder(data_dir):
    store = Store(data_dir)
    v0 = store.current_version()
    at = open_page("Drop folder")                          # starts the watcher for this store
    assert any("checks the folder every 5 seconds" in c.value for c in at.caption)
    store.inbox.mkdir(exist_ok=True)
    shutil.copyfile(FIXTURES / "jira" / "german_cloud.csv", store.inbox / "german_cloud.csv")
    deadline = time.time() + 120
    while store.current_version() == v0 and time.time() < deadline:
        time.sleep(0.2)
    assert store.current_version() == v0 + 1
    # The file is moved to processed/ just after the version is published: wait for that too.
    while not inbox.recent(store, "processed") and time.time() < deadline:
        time.sleep(0.2)
    assert [p.name.endswith("-german_cloud.csv") for p in inbox.recent(store, "processed")] == [True]
    assert store.manifest().ingests[-1]["user"] == "inbox"
    at.run()
    assert metrics(at)["Store version"] == str(v0 + 1)


def test_preview_equals_what_is_stored(data_dir):
    """The preview is the validated frame `ingest_files` stores, row for row."""
    store = Store(data_dir)
    outcome = analyse(JIRA, store_root=store.root)
    at = upload(open_page(), JIRA)
    preview = at.dataframe[0].value
    assert len(preview) == outcome.tables["tasks"]
    at.button(key="data_publish").click().run()
    con = query.connect(store).con
    stored = con.sql("select task_id from seg_tasks where source = 'jira:issues:OPS+PAY' order by task_id").fetchall()
    assert [r[0] for r in stored] == sorted(preview["task_id"].tolist())
