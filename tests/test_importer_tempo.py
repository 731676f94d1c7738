"""Tempo importer: worklog exports in English and German (hand-written in Tempo's layout), and how
a newer export of the same worklogs replaces the days it covers."""

from __future__ import annotations

from datetime import date

from helpers.canonical import make_store
from helpers.resources import FIXTURES, canon, claimed_by, rows

from pmo import query
from pmo.importers import tempo
from pmo.ingest import analyse, ingest_files
from pmo.store import Store

HERE = FIXTURES / "tempo"
HEADER = ('"Issue Key","Issue summary","Hours","Work date","Username","Full name","Period","Account Key",'
          '"Account Name","Project Key","Project Name","Work Description","Billed Hours"\n')


def test_english_export_whole_rows():
    o = analyse(HERE / "worklogs_2026-11.csv")
    assert o.tool == "tempo" and o.source == "tempo:worklogs@2026-11-02..2026-11-20"
    assert o.as_of == date(2026, 11, 20)          # the last day the export covers
    src = o.source
    got = rows(o.frames["time_entries"], "_row")
    assert got == [
        canon("time_entries", work_date=date(2026, 11, 2), hours=7.5, project_id="PAY", project_name="Payments Platform",
              task_id="PAY-214", task_name="Migrate card vault to new HSM", resource_id="shaddad",
              person_name="Samir Haddad", billable=True, source=src, as_of=date(2026, 11, 20), _row=2),
        canon("time_entries", work_date=date(2026, 11, 3), hours=2.25, project_id="PAY", project_name="Payments Platform",
              task_id="PAY-219", task_name="Fix rounding in FX fees, EUR→GBP", resource_id="lvogt",
              person_name="Lena Vogt", billable=False, source=src, as_of=date(2026, 11, 20), _row=3),
        canon("time_entries", work_date=date(2026, 11, 20), hours=3.0, project_id="CRM", project_name="CRM Programme",
              task_id="CRM-7", task_name="Consent banner copy", resource_id="lvogt", person_name="Lena Vogt",
              billable=False, source=src, as_of=date(2026, 11, 20), _row=5),
    ]
    (r,) = o.rejects
    assert (r.row, r.column, r.table) == (4, "person", "time_entries")
    assert r.reason == "no person: the entry names nobody (name, e-mail or user id)"


def test_german_export_decimal_comma_and_dotted_dates():
    o = analyse(HERE / "arbeitszeiten_de.csv")
    assert o.tool == "tempo" and o.source == "tempo:arbeitszeiten_de@2026-11-02..2026-11-13"
    got = o.frames["time_entries"].select("work_date", "hours", "project_id", "task_id", "person_name", "billable")
    assert got.to_dicts() == [
        {"work_date": date(2026, 11, 2), "hours": 7.5, "project_id": "S4M", "task_id": "S4M-31",
         "person_name": "Jonas Müller", "billable": True},
        {"work_date": date(2026, 11, 13), "hours": 4.25, "project_id": "S4M", "task_id": "S4M-31",
         "person_name": "Jonas Müller", "billable": False},
    ]
    assert any("decimal comma" in n for n in o.notes) and any("day-first" in n for n in o.notes)


def test_russian_headers_are_recognised():
    header = ["Ключ запроса", "Тема запроса", "Часов", "Дата работы", "Имя пользователя", "Полное имя", "Период",
              "Ключ проекта", "Имя проекта", "Описание работы"]
    assert tempo.FINGERPRINT.score(header) > 0.5


def test_only_tempo_files_are_taken():
    assert claimed_by("tempo") == ["tempo/arbeitszeiten_de.csv", "tempo/messy_worklogs.csv",
                                     "tempo/worklogs_2026-11.csv"]


def test_newer_export_replaces_the_days_it_covers_and_keeps_the_others(tmp_path):
    """October (1-31) then a re-export of 20 Oct - 10 Nov: October 1-19 stays from the first file,
    20 Oct - 10 Nov comes from the second only (an entry deleted in Tempo disappears)."""
    oct_file = tmp_path / "tempo_worklogs_2026-10.csv"
    oct_file.write_text(HEADER + "".join(
        f'"PAY-1","Work","8","2026-10-{d:02d} 00:00","shaddad","Samir Haddad","2026-10","A","A","PAY","Payments","","0"\n'
        for d in (1, 19, 20, 30)))
    again = tmp_path / "tempo_worklogs_2026-10-20_2026-11-10.csv"
    again.write_text(HEADER
                     + '"PAY-1","Work","6","2026-10-20 00:00","shaddad","Samir Haddad","2026-10","A","A","PAY","Payments","","0"\n'
                     + '"PAY-1","Work","5","2026-11-10 00:00","shaddad","Samir Haddad","2026-11","A","A","PAY","Payments","","0"\n')
    store = Store(tmp_path / "store")
    ingest_files(store, [oct_file], user="t")
    ingest_files(store, [again], user="t")
    expected = [(date(2026, 10, 1), 8.0), (date(2026, 10, 19), 8.0), (date(2026, 10, 20), 6.0),
                (date(2026, 11, 10), 5.0)]
    con = query.connect(store).con
    assert con.sql("select work_date, hours from time_entries order by work_date").fetchall() == expected
    # both exports are kept (nothing lost); re-ingesting the older one later does not bring 30 Oct back
    assert con.sql("select count(distinct source) from seg_time_entries").fetchall() == [(2,)]
    ingest_files(store, [oct_file], user="t")
    con = query.connect(store).con
    assert con.sql("select work_date, hours from time_entries order by work_date").fetchall() == expected


def test_other_datasets_are_not_replaced(tmp_path):
    store = make_store(tmp_path / "s", {"time_entries": [
        {"work_date": date(2026, 11, 2), "hours": 1.0, "person_name": "A", "source": "tempo:team_a@2026-11-02..2026-11-02"},
        {"work_date": date(2026, 11, 2), "hours": 2.0, "person_name": "B", "source": "tempo:team_b@2026-11-02..2026-11-02"},
    ]})
    assert query.connect(store).con.sql("select sum(hours) from time_entries").fetchall() == [(3.0,)]
