"""Jira issue CSV: Cloud and Server/Data Center, "all fields" and "current fields" exports.

Layout (docs: shared reference export-formats.md §1): one row per issue; repeated columns for
multi-value fields (`Labels`, `Sprint`, `Components`, ...); time tracking in integer seconds;
dates like `05/Oct/25 12:00 AM` (French `20/juil./25 16:22`, Spanish `23/sep/26 10:12 am`, German
`23.10.2024 11:02`); headers in the exporting user's UI language (German, French and Spanish
aliases below, with the custom-field prefix and the story points / time-tracking columns). Cloud spells `Original estimate`, Server `Original Estimate` (matching ignores case).

Mapping to `tasks` (one row per issue):
    task_id          Issue key (a row without one is rejected with its row number)
    project_id       Project key, else the key's prefix (`OPS-41` -> `OPS`) in "current fields"
                     exports that leave the project columns out
    task_name        Summary              task_type   Issue Type        status   Status
    status_category  Status Category: To Do / In Progress / Done (German Zu erledigen / In Arbeit /
                     Fertig) -> todo / in_progress / done. Without that column (Server exports,
                     list views) the Status decides: a done-like status (Done, Closed, Resolved,
                     Fertig, Erledigt, ...) or a Resolved date -> done; a to-do-like status (To Do,
                     Open, Backlog, New, Reopened, ...) -> todo; any other status -> in_progress.
    assignee         Assignee (display name in Cloud, username in Server)
    start_date       Custom field (Start date), else Custom field (Target start)
    due_date         Due date
    finish_date      Custom field (Target end), else Due date
    completed_date   Resolved
    is_milestone     Issue Type "Milestone" (German "Meilenstein") only. An epic with a due date
                     is *not* a milestone: it is a container whose due date is a target, and
                     counting it would double the milestone list of every team that dates epics.
    is_summary       Issue Type Epic (German "Epos")
    estimate_hours   Original estimate / 3600; remaining_hours Remaining Estimate / 3600;
    actual_hours     Time Spent / 3600 (the issue's own values, not the Σ roll-ups)
    story_points     Custom field (Story Points) (company-managed), else
                     Custom field (Story point estimate) (team-managed): whichever is filled; read
                     only when the field holds numbers (t-shirt sizes or ids are left out, noted)
    parent_id        Parent key; else Parent (a numeric issue id, resolved to its key through the
                     Issue id column of the same file; a parent outside the file stays empty and
                     is counted in a note); else Parent id (older sub-task exports, same rule);
                     else Custom field (Epic Link); else Custom field (Parent Link)
    percent_complete done -> 1.0; else Time Spent / (Time Spent + Remaining Estimate) when both are
                     filled and not both zero; else to do -> 0.0; else NULL (in progress with no
                     time tracking: unknown rather than a made-up number)
    labels           every non-empty Labels column, in file order
    sprints          every non-empty Sprint column, in file order (legacy
                     `com.atlassian.greenhopper...Sprint@..[...,name=X,...]` cells give X)

`projects`: one minimal row per project key: project_id = key, project_name = Project name,
manager = Project lead, external_ids = [] (other sources - Project Online's JiraProjectKey - point
at the key through their own external_ids).

Risk / Issue / Dependency issues also go to `risks` (and `raid_snapshots`), `Blocks` issue links to
`dependencies`: see `_jira_raid.py`.

`time_entries` (when the export has `Log Work` columns): one row per worklog cell
`comment;05/Nov/26 12:35 PM;authorAccountId;seconds` (Server: the author's username): work_date =
its date, hours = seconds / 3600, resource_id = the author, person_name = the author's display name
where the same file shows it beside that id (`Assignee` / `Assignee Id`, `Reporter` / `Reporter Id`,
`Creator` / `Creator Id`), task_id / task_name / project_id = the issue's. The comment is not kept.

Source: "issues:" + sorted project keys joined by "+", so a newer export of the same projects
replaces the older one. `as_of` is None: the newest Updated date is not the export date, so the
CLI's --as-of (or today) applies.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pmo import parse as pp
from pmo.importers import _jira_raid
from pmo.importers._common import coalesce, date_order, drop_blank_rows, tables_of, with_data
from pmo.importers.base import (
    CELL_CLEARED,
    UNREADABLE_SHARE,
    Fingerprint,
    ImportError_,
    ImportResult,
    IngestContext,
    RawTable,
    Reject,
    check_column,
    cleared,
    norm,
    reject_mask,
)

TOOL = "jira"
LABEL = "Jira issue CSV"
VERSION = "1"
TABLES = ("tasks", "projects", "risks", "raid_snapshots", "dependencies", "time_entries")

# Localised header -> English header. Jira writes the CSV header in the exporting user's UI
# language. Seen in real exports (public code reading them, reference §1): German
# (Zusammenfassung, Vorgangsschlüssel ...), French Cloud (Résumé, Clé de ticket, ID de ticket,
# Type de ticket, État, Clé de projet, Nom du projet, Priorité, Création, Mise à jour, Catégorie
# d'état, "Champs personnalisés (...)"), French Server (Estimation originale, Estimation restante,
# Temps consacré, Résolue), Spanish (Resumen, Clave de incidencia, ID de la incidencia, Tipo de
# Incidencia, Estado, Persona asignada, Informador, Creada, Actualizada, Resuelta, Fecha de
# vencimiento, Clave principal, Principal, Categoría de estado, "Campo personalizado (Story
# Points)", Σ Tiempo empleado). The remaining names follow Jira's translations of the same fields.
ALIASES: dict[str, str] = {
    # German
    "Zusammenfassung": "Summary",
    "Vorgangsschlüssel": "Issue key",
    "Vorgangs-ID": "Issue id",
    "Vorgangstyp": "Issue Type",
    "Projektschlüssel": "Project key",
    "Projektname": "Project name",
    "Projekttyp": "Project type",
    "Projektleiter": "Project lead",
    "ID des Projektleiters": "Project lead id",
    "Projektbeschreibung": "Project description",
    "Priorität": "Priority",
    "Lösung": "Resolution",
    "Zugewiesene Person": "Assignee",
    "Bearbeiter": "Assignee",
    "ID der zugewiesenen Person": "Assignee Id",
    "Autor": "Reporter",
    "ID des Autors": "Reporter Id",
    "Ersteller": "Creator",
    "Ersteller-ID": "Creator Id",
    "Erstellt": "Created",
    "Aktualisiert": "Updated",
    "Zuletzt angezeigt": "Last Viewed",
    "Erledigt": "Resolved",
    "Fälligkeitsdatum": "Due date",
    "Stichwörter": "Labels",
    "Komponenten": "Components",
    "Lösungsversionen": "Fix versions",
    "Ursprüngliche Schätzung": "Original estimate",
    "Verbleibende Schätzung": "Remaining Estimate",
    "Benötigte Zeit": "Time Spent",
    "Erfasste Zeit": "Time Spent",
    "Status-Kategorie": "Status Category",
    "Statuskategorie": "Status Category",
    "Übergeordnet": "Parent",
    "Übergeordneter Schlüssel": "Parent key",
    "Übergeordnete Zusammenfassung": "Parent summary",
    # French
    "Résumé": "Summary",
    "Clé de ticket": "Issue key",
    "Clé du ticket": "Issue key",
    "Clé de la demande": "Issue key",
    "ID de ticket": "Issue id",
    "ID du ticket": "Issue id",
    "Type de ticket": "Issue Type",
    "Type de demande": "Issue Type",
    "État": "Status",
    "Statut": "Status",
    "Clé de projet": "Project key",
    "Clé du projet": "Project key",
    "Nom du projet": "Project name",
    "Type de projet": "Project type",
    "Responsable du projet": "Project lead",
    "Responsable de projet": "Project lead",
    "Chef de projet": "Project lead",
    "Priorité": "Priority",
    "Résolution": "Resolution",
    "Responsable": "Assignee",
    "Personne assignée": "Assignee",
    "ID du responsable": "Assignee Id",
    "Rapporteur": "Reporter",
    "ID de rapporteur": "Reporter Id",
    "Créateur": "Creator",
    "Création": "Created",
    "Créé": "Created",
    "Mise à jour": "Updated",
    "Mis à jour": "Updated",
    "Résolue": "Resolved",
    "Résolu": "Resolved",
    "Date d'échéance": "Due date",
    "Échéance": "Due date",
    "Étiquettes": "Labels",
    "Composants": "Components",
    "Versions corrigées": "Fix versions",
    "Estimation originale": "Original estimate",
    "Estimation d'origine": "Original estimate",
    "Estimation restante": "Remaining Estimate",
    "Temps consacré": "Time Spent",
    "Temps passé": "Time Spent",
    "Catégorie d'état": "Status Category",
    "Catégorie de statut": "Status Category",
    "Clé parente": "Parent key",
    "Clé du parent": "Parent key",
    "Résumé du parent": "Parent summary",
    # Spanish
    "Resumen": "Summary",
    "Clave de incidencia": "Issue key",
    "Clave": "Issue key",
    "ID de la incidencia": "Issue id",
    "ID de incidencia": "Issue id",
    "Tipo de Incidencia": "Issue Type",
    "Estado": "Status",
    "Clave de proyecto": "Project key",
    "Clave del proyecto": "Project key",
    "Nombre de proyecto": "Project name",
    "Nombre del proyecto": "Project name",
    "Tipo de proyecto": "Project type",
    "Responsable del proyecto": "Project lead",
    "Líder del proyecto": "Project lead",
    "Prioridad": "Priority",
    "Resolución": "Resolution",
    "Persona asignada": "Assignee",
    "ID de la persona asignada": "Assignee Id",
    "Informador": "Reporter",
    "ID del informador": "Reporter Id",
    "Creador": "Creator",
    "Creada": "Created",
    "Actualizada": "Updated",
    "Resuelta": "Resolved",
    "Fecha de vencimiento": "Due date",
    "Fecha límite": "Due date",
    "Etiquetas": "Labels",
    "Componentes": "Components",
    "Versiones corregidas": "Fix versions",
    "Estimación original": "Original estimate",
    "Estimación restante": "Remaining Estimate",
    "Tiempo empleado": "Time Spent",
    "Tiempo invertido": "Time Spent",
    "Tiempo registrado": "Time Spent",
    "Categoría de estado": "Status Category",
    "Principal": "Parent",
    "Clave principal": "Parent key",
    "Resumen principal": "Parent summary",
}
# "Custom field (Story Points)" in the UI languages (French exports write both spellings).
_CUSTOM_PREFIXES = ("Benutzerdefiniertes Feld (", "Champ personnalisé (", "Champs personnalisés (",
                    "Campo personalizado (", "Campos personalizados (")
# Translated names of the agile fields inside "Custom field (...)": team-managed projects' story
# point estimate and the start / target dates. Company-managed "Story Points" keeps its name.
_CUSTOM_NAMES: dict[str, str] = {
    "Story-Point-Schätzung": "Story point estimate",
    "Story Point-Schätzung": "Story point estimate",
    "Schätzung der Story Points": "Story point estimate",
    "Estimation des story points": "Story point estimate",
    "Estimation de story points": "Story point estimate",
    "Estimación de puntos de historia": "Story point estimate",
    "Estimación de story points": "Story point estimate",
    "Points de story": "Story Points",
    "Puntos de historia": "Story Points",
    "Startdatum": "Start date",
    "Date de début": "Start date",
    "Fecha de inicio": "Start date",
    "Zielstart": "Target start",
    "Début cible": "Target start",
    "Inicio objetivo": "Target start",
    "Zielende": "Target end",
    "Fin cible": "Target end",
    "Fin objetivo": "Target end",
    "Epos-Verknüpfung": "Epic Link",
    "Lien d'epic": "Epic Link",
    "Enlace de épica": "Epic Link",
}

FINGERPRINT = Fingerprint(
    strong=("Issue key", "Issue id", "Issue Type", "Status Category", "Summary", "Project key"),
    weak=("Sprint", "Σ Time Spent", "Original estimate", "Resolved", "Parent key", "Project name"),
    need=2,
    alias=ALIASES,
)

_CATEGORY = {
    "to do": "todo",
    "zu erledigen": "todo",
    "à faire": "todo",
    "a faire": "todo",
    "por hacer": "todo",
    "tareas por hacer": "todo",
    "in progress": "in_progress",
    "in arbeit": "in_progress",
    "en cours": "in_progress",
    "en curso": "in_progress",
    "en progreso": "in_progress",
    "done": "done",
    "fertig": "done",
    "erledigt": "done",
    "terminé": "done",
    "terminée": "done",
    "terminé(e)": "done",
    "listo": "done",
    "lista": "done",
    "finalizado": "done",
    "finalizada": "done",
    "hecho": "done",
}
_DONE_STATUSES = (
    "done",
    "closed",
    "resolved",
    "complete",
    "completed",
    "cancelled",
    "canceled",
    "won't do",
    "fertig",
    "erledigt",
    "geschlossen",
    "gelöst",
    "abgeschlossen",
    "terminé",
    "terminée",
    "fermé",
    "fermée",
    "résolu",
    "résolue",
    "annulé",
    "finalizado",
    "finalizada",
    "cerrado",
    "cerrada",
    "resuelto",
    "resuelta",
    "hecho",
    "listo",
    "cancelado",
)
_TODO_STATUSES = (
    "to do",
    "todo",
    "open",
    "backlog",
    "new",
    "reopened",
    "selected for development",
    "zu erledigen",
    "offen",
    "neu",
    "wieder geöffnet",
    "à faire",
    "ouvert",
    "ouverte",
    "nouveau",
    "nouvelle",
    "rouvert",
    "por hacer",
    "abierto",
    "abierta",
    "nuevo",
    "nueva",
    "reabierto",
    "tareas por hacer",
)
_MILESTONE_TYPES = ("milestone", "meilenstein", "jalon", "hito")
_SUMMARY_TYPES = ("epic", "epos", "épopée", "épique", "épica", "epica")
_KEY_RE = r"^[A-Za-z][A-Za-z0-9_]*-[0-9]+$"


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    t = _combined(tables)
    df = drop_blank_rows(t.data)
    result.rows_read = df.height
    t = with_data(t, df)
    if t.col("Issue key") is None:
        raise ImportError_(
            f"{t.file_name}: this Jira export has no 'Issue key' (Vorgangsschlüssel) "
            "column; export again with the issue key included."
        )

    key = t.values("Issue key")
    df = df.with_columns(_key=key)
    df = reject_mask(result, "tasks", df, df["_key"].is_null(), "Issue key", "Issue key is empty")
    t = with_data(t, df)
    n = df.height
    default_order = date_order(ctx)

    def text(*names: str) -> pl.Series:
        return t.values(*names)

    def date(*names: str) -> pl.Series:
        col = t.col(*names)
        if col is None:
            return pl.Series(names[0], [None] * n, dtype=pl.Date)
        p = pp.to_date(df[col], default_order=default_order, name=col)
        return _use(result, p, df, col, "tasks", "a date", t.file_name)

    def hours(name: str) -> pl.Series:
        col = t.col(name)
        if col is None:
            return pl.Series(name, [None] * n, dtype=pl.Float64)
        return _use(result, pp.seconds_to_hours(df[col]), df, col, "tasks", "a number of seconds", t.file_name)

    def custom_number(name: str) -> pl.Series:
        """A custom field read as numbers only when its values are numbers (decided over all of
        them): a field of codes or sizes (`XL`, `1.21143E+15`) is left out with a note."""
        col = t.col(name)
        if col is None:
            return pl.Series(name, [None] * n, dtype=pl.Float64)
        numeric, example = pp.numeric_column(df[col], UNREADABLE_SHARE.get())
        if not numeric:
            result.notes.append(f"{col}: holds text such as {example!r}, not numbers: not read as story "
                                "points (the column is not imported)")
            return pl.Series(name, [None] * n, dtype=pl.Float64)
        return _use(result, pp.to_number(df[col]), df, col, "tasks", "a number", t.file_name)

    project = coalesce(text("Project key"), df["_key"].str.extract(r"^([A-Za-z][A-Za-z0-9_]*)-[0-9]+$", 1))
    issue_type = text("Issue Type")
    status = text("Status")
    category = _category(text("Status Category"), status, text("Resolved"))
    spent, remaining = hours("Time Spent"), hours("Remaining Estimate")
    percent = pl.DataFrame({"c": category, "s": spent, "r": remaining}).select(
        pl.when(pl.col("c") == "done")
        .then(1.0)
        .when(pl.col("s").is_not_null() & pl.col("r").is_not_null() & ((pl.col("s") + pl.col("r")) > 0))
        .then(pl.col("s") / (pl.col("s") + pl.col("r")))
        .when(pl.col("c") == "todo")
        .then(0.0)
        .otherwise(None)
        .alias("p")
    )["p"]
    due = date("Due date")
    type_lc = issue_type.str.to_lowercase().str.strip_chars()

    tasks = pl.DataFrame(
        {
            "_row": df["_row"],
            "task_id": df["_key"],
            "project_id": project,
            "task_name": text("Summary"),
            "task_type": issue_type,
            "status": status,
            "status_category": category,
            "assignee": text("Assignee"),
            "start_date": coalesce(date("Custom field (Start date)"), date("Custom field (Target start)")),
            "due_date": due,
            "finish_date": coalesce(date("Custom field (Target end)"), due),
            "completed_date": date("Resolved"),
            "percent_complete": percent,
            "is_milestone": type_lc.is_in(_MILESTONE_TYPES).fill_null(False),
            "is_summary": type_lc.is_in(_SUMMARY_TYPES).fill_null(False),
            "estimate_hours": hours("Original estimate"),
            "remaining_hours": remaining,
            "actual_hours": spent,
            "story_points": coalesce(
                custom_number("Custom field (Story Points)"), custom_number("Custom field (Story point estimate)")
            ),
            "parent_id": _parents(t, df, result),
            "labels": _collapse(t, df, "Labels"),
            "sprints": _sprints(_collapse(t, df, "Sprint")),
        }
    )

    projects = (
        pl.DataFrame(
            {
                "_row": df["_row"],
                "project_id": project,
                "project_name": text("Project name"),
                "manager": text("Project lead"),
            }
        )
        .filter(pl.col("project_id").is_not_null())
        .group_by("project_id", maintain_order=True)
        .agg(
            pl.col("_row").min(),
            pl.col("project_name").drop_nulls().first(),
            pl.col("manager").drop_nulls().first(),
        )
        .with_columns(external_ids=pl.lit([], dtype=pl.List(pl.String)))
    )
    keys = sorted(projects["project_id"].to_list())
    result.source = "issues:" + "+".join(keys) if keys else "issues:" + Path(t.file_name).stem
    result.tables = {"tasks": tasks, "projects": projects}
    # RAID items (Risk / Issue / Dependency issues) and "Blocks" links: pmo/importers/_jira_raid.py
    result.tables.update(_jira_raid.tables(
        t, df, tasks, result, date, lambda p, col, what: _use(result, p, df, col, "risks", what)))
    worklogs = _worklogs(t, df, result, project, default_order)
    if worklogs is not None:
        result.tables["time_entries"] = worklogs
    return result


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


_ALIASES = {norm(k): v for k, v in ALIASES.items()}
_INNER = {norm(k): v for k, v in _CUSTOM_NAMES.items()}


def _translate(name: str) -> str:
    """A localised header -> its English spelling (unchanged when not localised): 'Σ Temps
    consacré' -> 'Σ Time Spent', 'Campo personalizado (Puntos de historia)' -> 'Custom field
    (Story Points)'."""
    if name.startswith("Σ"):
        return "Σ " + _translate(name.lstrip("Σ").strip())
    if norm(name) in _ALIASES:
        return _ALIASES[norm(name)]
    for prefix in ("Custom field (", *_CUSTOM_PREFIXES):
        if name.lower().startswith(prefix.lower()):
            inner = name[len(prefix):].rstrip()
            inner = inner.removesuffix(")")
            return f"Custom field ({_INNER.get(norm(inner), inner)})"
    return name


def _combined(tables: list[RawTable]) -> RawTable:
    """Headers translated to English and renamed uniquely (Labels, Labels#2 ...); sheets stacked."""
    frames = []
    for t in tables:
        cols = [c for c in t.data.columns if c != "_row"]
        seen: dict[str, int] = {}
        rename = {}
        for c in cols:
            base = _translate(c.split("#")[0])
            k = norm(base)
            seen[k] = seen.get(k, 0) + 1
            rename[c] = base if seen[k] == 1 else f"{base}#{seen[k]}"
        frames.append(t.data.rename(rename))
    data = frames[0] if len(frames) == 1 else pl.concat(frames, how="diagonal")
    first = tables[0]
    header = [_translate(h) for h in first.header]
    return RawTable(first.file_name, first.sheet, header, data, first.header_row, first.meta)


def _use(result: ImportResult, p: pp.Parsed, df: pl.DataFrame, col: str, table: str, what: str,
         file_name: str = "") -> pl.Series:
    """Parsed values; unreadable cells become value-level rejects (the row is kept, cell empty)."""
    rows = df["_row"]
    if p.note:
        note = re.sub(r"\brow (\d+)", lambda m: f"row {rows[int(m.group(1)) - 1]}", p.note)
        # One note per decision: "dates read as X" for the next column adds nothing.
        seen = any(n.split(": ", 1)[-1].split(" (")[0] == note.split(" (")[0] for n in result.notes)
        if "unreadable" in note or not seen:
            result.notes.append(f"{col}: {note}")
    if p.bad.any():
        check_column(file_name, col, df[col], p.bad, what)
        cleared(result, table, rows, df[col], p.bad, col, f"not {what}")
    return p.values


def _category(category: pl.Series, status: pl.Series, resolved: pl.Series) -> pl.Series:
    """Status Category -> todo / in_progress / done, falling back to the Status wording."""
    f = pl.DataFrame({"c": category, "s": status, "r": resolved})
    c = pl.col("c").str.strip_chars().str.to_lowercase()
    s = pl.col("s").str.strip_chars().str.to_lowercase()
    mapped = c.replace_strict(_CATEGORY, default=None, return_dtype=pl.String)
    return f.select(
        pl.when(mapped.is_not_null())
        .then(mapped)
        .when(s.is_in(_DONE_STATUSES) | pl.col("r").is_not_null())
        .then(pl.lit("done"))
        .when(s.is_in(_TODO_STATUSES))
        .then(pl.lit("todo"))
        .when(s.is_not_null())
        .then(pl.lit("in_progress"))
        .otherwise(None)
        .alias("category")
    )["category"]


def _collapse(t: RawTable, df: pl.DataFrame, name: str) -> pl.Series:
    """Every same-named column -> one List(String), file order, empties dropped ([] when none)."""
    cols = t.cols(name)
    if not cols:
        return pl.Series(name, [[]] * df.height, dtype=pl.List(pl.String))
    return df.select(pl.concat_list([pl.col(c).cast(pl.String) for c in cols]).list.drop_nulls().alias(name))[
        name
    ]


_LEGACY_SPRINT = r"com\.atlassian\.greenhopper\.service\.sprint\.Sprint@.*?\bname=([^,\]]*)"


def _sprints(s: pl.Series) -> pl.Series:
    """Legacy `...Sprint@66a97d[id=1,...,name=XXX,...]` cells -> XXX; names kept as written."""
    return s.list.eval(pl.coalesce(pl.element().str.extract(_LEGACY_SPRINT, 1), pl.element()))


def _parents(t: RawTable, df: pl.DataFrame, result: ImportResult) -> pl.Series:
    """Parent key, else Parent / Parent id (issue id -> key within the file), else Epic / Parent Link."""
    ids = t.values("Issue id").str.replace(r"\.0+$", "")
    id_to_key = {i: k for i, k in zip(ids.to_list(), df["_key"].to_list(), strict=True) if i is not None}

    def resolve(name: str) -> pl.Series:
        raw = t.values(name)
        return pl.DataFrame({"v": raw}).select(
            pl.when(pl.col("v").str.contains(_KEY_RE))
            .then(pl.col("v"))
            .otherwise(
                pl.col("v")
                .str.replace(r"\.0+$", "")
                .replace_strict(id_to_key, default=None, return_dtype=pl.String)
            )
            .alias(name)
        )[name]

    parent = coalesce(
        t.values("Parent key"),
        resolve("Parent"),
        resolve("Parent id"),
        t.values("Custom field (Epic Link)"),
        t.values("Custom field (Parent Link)"),
    )
    missed = int(
        (parent.is_null() & (t.values("Parent").is_not_null() | t.values("Parent id").is_not_null())).sum()
    )
    if missed:
        result.notes.append(
            f"{missed} parent issue id(s) refer to issues not in this file; "
            "their parent was left empty (export the parents too, or add Parent key)"
        )
    return parent.alias("parent_id")


_WORKLOG = r"(?s)^(.*);([^;]*);([^;]*);\s*([0-9]+(?:\.0+)?)\s*$"


def _worklogs(t: RawTable, df: pl.DataFrame, result: ImportResult, project: pl.Series,
              default_order: str | None) -> pl.DataFrame | None:
    """`Log Work` cells (`comment;date;author;seconds`) -> time entries; None when there are none."""
    cols = t.cols("Log Work")
    if not cols:
        return None
    issues = df.select("_row", "_key", pl.Series("_project", project), t.values("Summary").alias("_summary"),
                       t.values("Project name").alias("_project_name"), *cols)
    cells = issues.unpivot(index=["_row", "_key", "_project", "_summary", "_project_name"], on=cols,
                           value_name="cell").drop_nulls("cell")
    if cells.is_empty():
        return None
    parts = cells["cell"].str.extract_groups(_WORKLOG)
    cells = cells.with_columns(
        _date=parts.struct.field("2").str.strip_chars(), _author=parts.struct.field("3").str.strip_chars(),
        _seconds=parts.struct.field("4"))
    bad = cells["_seconds"].is_null()
    for r, v in cells.filter(bad).select("_row", "cell").iter_rows():
        result.rejects.append(Reject(r, "Log Work", v, "worklog not read: expected comment;date;author;seconds",
                                     "time_entries"))
    cells = cells.filter(~bad)
    dates = pp.to_date(cells["_date"], default_order=default_order, name="Log Work")
    for r, v in cells.filter(dates.bad).select("_row", "_date").iter_rows():
        result.rejects.append(Reject(r, "Log Work", v, "worklog date not understood; left empty", "time_entries",
                                     CELL_CLEARED))
    names: dict[str, str] = {}
    for person in ("Assignee", "Reporter", "Creator"):
        ids, shown = t.values(f"{person} Id"), t.values(person)
        for i, n in zip(ids.to_list(), shown.to_list(), strict=True):
            if i and n:
                names.setdefault(i.strip(), n.strip())
    return pl.DataFrame({
        "_row": cells["_row"],
        "work_date": dates.values,
        "hours": pp.seconds_to_hours(cells["_seconds"]).values,
        "project_id": cells["_project"],
        "project_name": cells["_project_name"],
        "task_id": cells["_key"],
        "task_name": cells["_summary"],
        "resource_id": cells["_author"].replace("", None),
        "person_name": cells["_author"].replace_strict(names, default=None, return_dtype=pl.String),
    })
