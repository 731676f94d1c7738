"""Tempo Timesheets worklog export (Jira app: Reports / Logged time -> Export -> CSV or Excel).

Layout (shared reference pmo-functions.md §2b; a public tool lists the headers per account
language): `"Issue Key","Issue summary","Hours","Work date","Username","Full name","Period",
"Account Key","Account Name","Account Lead","Account Category","Account Customer","Activity Name",
"Component","All Components","Version Name","Issue Type","Issue Status","Project Key",
"Project Name","Epic","Epic Link","Work Description","Parent Key","Reporter","External Hours",
"Billed Hours","Issue Original Estimate","Issue Remaining Estimate"`, one row per worklog. The
headers follow the exporting account's language: Russian from the same public list
(`"Ключ запроса","Тема запроса","Часов","Дата работы","Имя пользователя","Полное имя",...`);
German in Tempo's and Jira's German wording (`Vorgangsschlüssel`, `Stunden`, `Arbeitsdatum`,
`Benutzername`, `Vollständiger Name`, ... [unverified: no German export seen]). Hours are
decimal hours, with a decimal comma in German exports (`7,5`); work dates are `2026-11-02 00:00`
or, German, `02.11.2026`.

Mapping to `time_entries` (one row per worklog):
    work_date        Work date            hours        Hours
    project_id       Project Key (the Jira key: the store resolves it to the project code
                     through Project Server's JiraProjectKey), else Project Name
    project_name     Project Name         task_id      Issue Key      task_name   Issue summary
    resource_id      Username (Tempo's user key / Jira account id)
    person_name      Full name            billable     Billed Hours > 0 (when the column is there)
    entry_id         Worklog Id / Tempo Worklog ID, where the export has it
Account, activity, component and description columns have no canonical column.
Source: the file's stable stem + the period covered (`_timesheets.finish`).
"""

from __future__ import annotations

import polars as pl

from pmo.importers._common import Cells, coalesce, tables_of, with_data, without_blank_rows
from pmo.importers._timesheets import finish
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, norm

TOOL = "tempo"
LABEL = "Tempo worklog export"
VERSION = "1"
TABLES = ("time_entries",)

# Localised header -> English. Russian: the public header list (real); German: Tempo / Jira wording.
ALIASES: dict[str, str] = {
    # German
    "Vorgangsschlüssel": "Issue Key", "Vorgangszusammenfassung": "Issue summary",
    "Zusammenfassung": "Issue summary", "Stunden": "Hours", "Arbeitsdatum": "Work date",
    "Benutzername": "Username", "Vollständiger Name": "Full name", "Zeitraum": "Period",
    "Kontoschlüssel": "Account Key", "Kontoname": "Account Name", "Aktivitätsname": "Activity Name",
    "Komponente": "Component", "Alle Komponenten": "All Components", "Versionsname": "Version Name",
    "Vorgangstyp": "Issue Type", "Vorgangsstatus": "Issue Status", "Projektschlüssel": "Project Key",
    "Projektname": "Project Name", "Arbeitsbeschreibung": "Work Description",
    "Übergeordneter Schlüssel": "Parent Key", "Autor": "Reporter", "Externe Stunden": "External Hours",
    "Abgerechnete Stunden": "Billed Hours", "Ursprüngliche Schätzung": "Issue Original Estimate",
    "Verbleibende Schätzung": "Issue Remaining Estimate", "Worklog-ID": "Worklog Id",
    # Russian
    "Ключ запроса": "Issue Key", "Тема запроса": "Issue summary", "Часов": "Hours",
    "Дата работы": "Work date", "Имя пользователя": "Username", "Полное имя": "Full name",
    "Период": "Period", "Ключ аккаунта": "Account Key", "Имя аккаунта": "Account Name",
    "Имя активности": "Activity Name", "Компонент": "Component", "Все компоненты": "All Components",
    "Имя продукта": "Version Name", "Тип запроса": "Issue Type", "Статус запроса": "Issue Status",
    "Ключ проекта": "Project Key", "Имя проекта": "Project Name", "Описание работы": "Work Description",
    "Ключ родителя": "Parent Key", "Автор": "Reporter", "Внешние часы": "External Hours",
    "Тарифицируемые часы": "Billed Hours", "Первоначальная оценка запроса": "Issue Original Estimate",
    "Оставшееся время запроса": "Issue Remaining Estimate",
}

FINGERPRINT = Fingerprint(
    strong=("Issue Key", "Issue summary", "Hours", "Work date", "Username", "Full name", "Project Key",
            "Work Description", "Billed Hours", "Account Key"),
    weak=("Period", "Account Name", "Activity Name", "Project Name", "Issue Type", "Issue Status",
          "External Hours", "Issue Original Estimate", "Issue Remaining Estimate"),
    need=4,
    alias=ALIASES,
)


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    frames = [_entries(_english(without_blank_rows(t, result)), result, ctx) for t in tables]
    finish(result, pl.concat(frames, how="diagonal_relaxed"), ctx, tables[0].file_name, TOOL)
    return result


def _english(t: RawTable) -> RawTable:
    """Localised headers renamed to the English ones."""
    aliases = {norm(k): v for k, v in ALIASES.items()}
    rename = {c: aliases[norm(c)] for c in t.data.columns if norm(c) in aliases}
    return with_data(t, t.data.rename(rename))


def _entries(t: RawTable, result: ImportResult, ctx: IngestContext) -> pl.DataFrame:
    df = t.data
    c = Cells(t, df, result, "time_entries", ctx)
    billed = c.number("Billed Hours")
    return pl.DataFrame({
        "_row": df["_row"],
        "work_date": c.date("Work date"),
        "hours": c.number("Hours"),
        "project_id": coalesce(c.text("Project Key"), c.text("Project Name")),
        "project_name": c.text("Project Name"),
        "task_id": c.text("Issue Key"),
        "task_name": c.text("Issue summary"),
        "resource_id": c.text("Username"),
        "person_name": c.text("Full name"),
        "billable": (billed > 0) if c.name("Billed Hours") else pl.Series([None] * df.height, dtype=pl.Boolean),
        "entry_id": c.text("Worklog Id", "Tempo Worklog ID", "Worklog ID"),
    })
