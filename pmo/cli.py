"""The `pmo` command: ingest exports, query the store, serve the dashboard, manage versions.

Exit codes: 0 success; 2 a problem with the input or the store (one clear line per problem on
stderr, the store unchanged: a bad file, a read-only store, a full disk, a damaged version);
3 the store is busy with another writer (retry).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from pmo import config

# When `pmo ingest` builds the dashboard's summary tables (pmo/query/cache.py) for the new version.
SUMMARY_MODES = ("background", "now", "skip")
from pmo.store import Store, StoreBusy, StoreError, open_store, write_failure

ROOT = Path(__file__).resolve().parent.parent


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-20") from exc


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pmo", description="PMO analytics: exports in, dashboard out.")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument("--data-dir", help="store directory (default $PMO_DATA_DIR or ./data)")
        return sp

    sp = add("ingest", "detect, validate and publish export files as a new store version")
    sp.add_argument("paths", nargs="+", type=Path)
    sp.add_argument("--as-of", type=_date, help="the date the export describes (default: a date it carries, else today)")
    sp.add_argument("--source", help="force the tool instead of detecting it (e.g. jira, msproject)")
    sp.add_argument("--mapping", type=Path, help="a TOML mapping file for a layout no importer knows "
                    "(kept in the store and applied automatically to the same header next time)")
    sp.add_argument("--summaries", choices=SUMMARY_MODES, default=None,
                    help="the dashboard's summary tables for the new version: built by a background process "
                         "once the version is published (background, the default; $PMO_SUMMARIES may set "
                         "another), before the command returns (now), or not at all (skip: the dashboard "
                         "builds them on first view)")
    sp.add_argument("--no-summaries", dest="summaries", action="store_const", const="skip",
                    help="the same as --summaries skip")
    sp.add_argument("--date-order", choices=("dmy", "mdy"),
                    help="day-first or month-first, for date columns no value settles")
    sp.add_argument("--currency", metavar="CODE",
                    help="the ISO currency (e.g. EUR) of amounts whose currency the file states nowhere; "
                         "without it such a file is refused (amounts are never assumed to be in the "
                         "reporting currency)")
    sp.add_argument("--allow-empty", action="store_true",
                    help="publish a file with no data rows (it replaces its source's rows with none) "
                         "instead of refusing it")
    sp = add("sql", "run one read-only SELECT over the views")
    sp.add_argument("query")
    sp.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sp = add("serve", "start the dashboard")
    sp.add_argument("--port", type=int, default=8501)
    sp.add_argument("--host", default="localhost")
    add("demo", "load sample_data/ into an empty store")
    add("rebuild", "recreate the current version from the kept raw files alone")
    add("history", "list versions and ingests")
    sp = add("rollback", "serve an earlier version again (as a new version)")
    sp.add_argument("version", type=int)
    add("health", "whether the dashboard can serve the store (what /healthz says, with the details)")
    sp = add("check", "data-quality report for the whole store (and whether its files are whole)")
    sp.add_argument("--governance", action="store_true",
                    help="the governance checks per project and portfolio instead (docs/governance.md)")
    sp.add_argument("--as-of", type=_date, help="with --governance: judge at the newest status date on or before this")
    sp.add_argument("--portfolio", help="with --governance: one portfolio only")
    sp.add_argument("--all", action="store_true", help="with --governance: list passed and not measurable checks too")
    sp = add("link", "match a project another tool names to a register project, or keep it as its own")
    sp.add_argument("alias", nargs="?", help="the id or name the other tool uses (see --list)")
    sp.add_argument("project", nargs="?", help="the register project it is (omit with --new or --undo)")
    sp.add_argument("--new", action="store_true", help="keep it as a project of its own")
    sp.add_argument("--undo", action="store_true", help="forget the decision about it")
    sp.add_argument("--note", default="", help="why (kept with the decision)")
    sp.add_argument("--list", action="store_true", help="list the projects to match and the decisions taken")
    sp = add("summaries", "build the dashboard's summary tables for a version (pmo ingest starts this)")
    sp.add_argument("--version", type=int, default=None, help="the version (default: the current one)")
    sp = add("watch", "ingest files dropped into the store's inbox/ (moved to processed/ or failed/)")
    sp.add_argument("--interval", type=float, default=None,
                    help="seconds between passes (default [store] inbox_interval_seconds, else 5)")
    sp.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
    sp = add("report", "send a saved view's meeting pack by e-mail, as the view shows now (docs/reports.md)")
    sp.add_argument("--view", required=True, metavar="NAME", help="the saved view's name")
    sp.add_argument("--format", choices=("pdf", "pptx", "csv"), default="pdf",
                    help="the meeting pack as PDF (default) or PowerPoint, or the page's tables as CSV files")
    sp.add_argument("--to", action="append", metavar="ADDR", help="a recipient (repeat for more)")
    sp.add_argument("--user", metavar="EMAIL",
                    help="whose saved view (needed when several people have a view of that name)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    store = open_store(args.data_dir)
    try:
        return COMMANDS[args.command](store, args)
    except StoreBusy as exc:
        _err(str(exc))
        return 3
    except StoreError as exc:
        _err(str(exc))
        return 2
    except BrokenPipeError:
        return _reader_gone()
    except OSError as exc:
        # a read-only store or a full disk: one line saying so, never a traceback
        _err(str(write_failure(exc, store.root) or f"the store {store.root} could not be used ({exc})."))
        return 2
    except KeyboardInterrupt:
        _err("interrupted; the store is unchanged.")
        return 130


def entry() -> int:
    """The `pmo` command (and `python -m pmo`): main, then stdout flushed while a closed pipe can
    still be handled."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        code = _reader_gone()
    return code


def _reader_gone() -> int:
    """The reader stopped early (`pmo check --governance | head`): not an error, and no traceback
    when Python flushes stdout at exit."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _err(msg: str) -> None:
    print(f"pmo: {msg}", file=sys.stderr)


def cmd_ingest(store: Store, args) -> int:
    from pmo.ingest import IngestFailed, ingest_files

    try:
        outcomes = ingest_files(store, [Path(p) for p in args.paths], as_of=args.as_of, tool=args.source,
                                mapping_path=args.mapping, date_order=args.date_order,
                                allow_empty=args.allow_empty, currency=args.currency)
    except IngestFailed as exc:
        for problem in exc.problems:
            _err(problem)
        _err("nothing was stored; the store is unchanged.")
        return 2
    except (StoreBusy, StoreError, KeyboardInterrupt):
        raise
    except Exception as exc:
        disk = write_failure(exc, store.root)
        if disk is not None:           # the disk refused a write (Polars / DuckDB wrap OS errors)
            raise disk from exc
        _err(f"the files could not be read ({type(exc).__name__}: {exc}); please report it with the file.")
        _err("nothing was stored; the store is unchanged.")
        return 2
    for o in outcomes:
        print(o.summary())
        for note in o.notes:
            print(f"  note: {note}")
        print_rejects(o.rejects)
    _summaries_after_publish(store, outcomes[0].version, args.summaries)
    return 0


def _summaries_after_publish(store: Store, version: int, mode: str | None = None) -> None:
    """The dashboard's summary tables for a version just published: now, in the background (the
    default) or not at all (`--summaries` or $PMO_SUMMARIES)."""
    mode = mode or os.environ.get("PMO_SUMMARIES") or "background"
    if mode == "now":
        _build_summaries(store)
    elif mode == "background":
        _summaries_in_background(store, version)



def print_rejects(rejects: list, shown: int = 5) -> None:
    """The first rejected rows and cleared cells of a file, each kind on its own lines."""
    for kind, verb, what in (("row rejected", "rejected", "not stored"),
                             ("cell cleared", "cleared", "row stored, the value left empty")):
        some = [r for r in rejects if r.kind == kind]
        for r in some[:shown]:
            where = f"row {r.row}" + (f", column {r.column}" if r.column else "")
            value = f" ('{r.value}')" if r.value else ""
            print(f"  {verb} {where}: {r.reason}{value}; {what}")
        if len(some) > shown:
            print(f"  ... {len(some) - shown:,} more: pmo sql \"select * from rejected_rows where kind = '{kind}'\"")


def _summaries_in_background(store: Store, version: int) -> None:
    """`pmo summaries` in a process of its own: the command returns once the version is published.
    A page opened before the tables are saved computes what it needs; both write the same files
    atomically."""
    try:
        subprocess.Popen([sys.executable, "-m", "pmo", "summaries", "--data-dir", str(store.root),
                          "--version", str(version)], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
    except OSError as exc:
        _err(f"the data is stored, but the summary tables could not be started ({exc}); "
             "the dashboard builds them on first view.")
        return
    print(f"summary tables for the dashboard: being built in the background for version {version}")


def cmd_summaries(store: Store, args) -> int:
    store.manifest(args.version)    # a version that does not exist: StoreError, exit 2 (main)
    state = store.write_state()
    if state:
        _err(f"the store {store.root} is {state}: the summary tables cannot be saved there "
             "(the dashboard computes them in memory).")
        return 2
    _build_summaries(store, args.version)
    return 0


def _build_summaries(store: Store, version: int | None = None) -> None:
    """The dashboard's summary tables for the new version (pmo/query/cache.py), so its first
    page view does not compute them. The version is already published: a failure here only means
    the dashboard computes them itself."""
    from pmo import query

    try:
        seconds = query.warm(store, version)
    except Exception as exc:   # noqa: BLE001 - the data is stored; the dashboard recomputes
        _err(f"the data is stored, but the summary tables could not be built now ({exc}); "
             "the dashboard builds them on first view.")
        return
    print(f"summary tables for the dashboard built in {seconds:.1f} s")


def local_role(store: Store):
    """The role the CLI acts as: admin, or env PMO_ROLE (as the dashboard's local mode)."""
    from pmo import auth

    return auth.local_role(auth.load(config.load(store.root), store.root))


def cmd_sql(store: Store, args) -> int:
    from pmo import integrity, sandbox
    from pmo.safe_sql import SqlLimits, UnsafeSQL

    cfg = config.load(store.root)
    serving = integrity.serving(store)
    if serving.degraded:
        _err(serving.message())
    if serving.version is None:
        return 2
    try:
        # in a worker process with the memory bound and the hard timeout, as the SQL explorer;
        # env PMO_ROLE limits the rows as it does on the pages
        df, more = sandbox.run(store.root, serving.version, local_role(store).sql_scope(), args.query,
                               SqlLimits.from_config(cfg))
    except UnsafeSQL as exc:
        _err(f"query refused: {exc}")
        return 2
    if args.format == "csv":
        sys.stdout.write(df.write_csv())
    elif args.format == "json":
        print(json.dumps(df.to_dicts(), default=str, indent=1))
    else:
        import polars as pl
        with pl.Config(tbl_rows=50, tbl_cols=20, fmt_str_lengths=40, tbl_hide_dataframe_shape=True):
            print(df)
    if more:
        _err(f"output cut at {df.height:,} rows (sql_row_cap).")
    return 0


def cmd_serve(store: Store, args) -> int:
    """Check the settings, prepare the store (the sample data into an empty store when the demo is
    on), then serve: the port opens only once the store is ready (pmo/readiness.py)."""
    from pmo import auth, hosting, readiness

    try:
        roles = auth.load(config.load(store.root), store.root)
    except auth.RolesError as exc:
        _err(str(exc))
        return 2
    secrets, problems = hosting.read_secrets()
    problems += hosting.start_problems(roles, secrets)
    if problems:
        for p in problems:
            _err(p)
        _err("the dashboard did not start.")
        return 2
    try:
        print(readiness.prepare(store), flush=True)
    except StoreError as exc:
        if store.is_empty():
            raise
        _err(str(exc))               # e.g. read-only: it still serves what it has
    # server.py (next to dashboard.py) is the dashboard wrapped in st.App with a /healthz route
    env = dict(os.environ, PMO_DATA_DIR=str(store.root.resolve()))
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"),
           "--server.port", str(args.port), "--server.address", args.host]
    return subprocess.call(cmd, env=env, cwd=ROOT)


def cmd_demo(store: Store, args) -> int:
    from pmo.demo import load_demo
    from pmo.ingest import IngestFailed

    if not store.is_empty():
        _err(f"the store {store.root} already holds data (version {store.current_version()}); "
             "`pmo demo` only fills an empty store. Use another --data-dir.")
        return 2
    try:
        outcomes = load_demo(store)
    except IngestFailed as exc:
        for problem in exc.problems:
            _err(problem)
        return 2
    for o in outcomes:
        print(o.summary())
    _summaries_after_publish(store, outcomes[0].version)
    return 0


def cmd_rebuild(store: Store, args) -> int:
    from pmo.ingest import IngestFailed, rebuild

    try:
        v = rebuild(store)
    except IngestFailed as exc:
        for problem in exc.problems:
            _err(problem)
        return 2
    print(f"rebuilt version {v} from the kept raw files")
    _build_summaries(store)
    return 0


def cmd_rollback(store: Store, args) -> int:
    from pmo.ingest import IngestFailed, rollback

    try:
        v = rollback(store, args.version)
    except IngestFailed as exc:
        for problem in exc.problems:
            _err(problem)
        return 2
    print(f"version {v} now serves what version {args.version} served")
    _build_summaries(store)
    return 0


def cmd_history(store: Store, args) -> int:
    if store.is_empty():
        print(f"the store {store.root} is empty; run `pmo demo` or `pmo ingest FILE`.")
        return 0
    current = store.current_version()
    print("versions:")
    for v in store.versions():
        m = store.manifest(v)
        mark = "*" if v == current else " "
        print(f" {mark} {v:>4}  {m.created_at or ''}  {m.action or '':<9} {m.user or ''}: {m.note}")
    print("ingests:")
    m = store.manifest()
    active = set(m.active)
    for i in m.ingests:
        mark = "*" if i["ingest_id"] in active else " "
        print(f" {mark} {i['ingest_id']:>4}  {i['ingested_at']}  {i['tool']:<15} {i['file_name']}  "
              f"as of {i['as_of']}  read {i['rows_read']:,} accepted {i['rows_accepted']:,} "
              f"rejected {i['rows_rejected']:,} cleared {i.get('cells_cleared') or 0:,}  by {i['user']}  "
              f"sha256 {i['sha256'][:12]}")
    print("(* = serving now)")
    return 0


def cmd_health(store: Store, args) -> int:
    from pmo import readiness

    ready, body = readiness.health(store, details=True)
    print(json.dumps(body, indent=1, default=str))
    return 0 if ready else 2


def cmd_check(store: Store, args) -> int:
    from pmo import integrity, quality, query

    serving = integrity.serving(store, fresh=True)       # every file hashed again
    for d in serving.damaged:
        for f, why in d.files:
            _err(f"version {d.version}: {store.path(f)} {why}")
    if serving.degraded:
        _err(serving.message())
        if serving.version is None:
            return 2
    if args.governance:
        from pmo import governance

        rt = query.connect(store, serving.version)
        rows = rt.query("governance_report", as_of=args.as_of, portfolio=args.portfolio)
        print(governance.format_report(rows.to_dicts(), show_all=args.all))
        return 2 if serving.degraded else 0
    report = quality.store_report(query.connect(store, serving.version, scope=local_role(store).sql_scope()).con)
    print(quality.format_report(report))
    return 2 if serving.degraded else 0


def cmd_link(store: Store, args) -> int:
    """pmo link: an analyst's decision about a project only a non-register export names."""
    from pmo import project_links, query
    from pmo.ingest import IngestFailed, current_user

    if args.list or not args.alias:
        if store.is_empty():
            print("the store is empty.")
            return 0
        rt = query.connect(store)
        to_match, decided = rt.query("projects_to_match"), rt.query("project_link_decisions")
        print(f"projects to match ({to_match.height}):")
        for r in to_match.iter_rows(named=True):
            hint = f"; closest: {', '.join(r['suggestions'])}" if r["suggestions"] else ""
            print(f"  {r['project_id']}  from {', '.join(r['sources'])}{hint}")
        print(f"decisions ({decided.height}):")
        for r in decided.iter_rows(named=True):
            print(f"  {r['alias']} -> {r['project_id'] if r['decision'] == 'link' else '(its own project)'}  "
                  f"by {r['decided_by']} at {r['decided_at']}")
        return 0
    if sum((bool(args.project), args.new, args.undo)) != 1:
        _err("give the register project to link to, or --new, or --undo.")
        return 2
    try:
        if args.undo:
            v = project_links.forget(store, args.alias, user=current_user())
        else:
            if args.project:
                known = query.connect(store).query("register_projects")["project_id"].to_list()
                if args.project not in known:
                    _err(f"{args.project} is not a register project; `pmo link --list` shows the projects to "
                         "match, `pmo sql \"select * from projects\"` every project.")
                    return 2
            v = project_links.decide(store, args.alias, link_to=args.project, user=current_user(), note=args.note)
    except IngestFailed as exc:
        for problem in exc.problems:
            _err(problem)
        return 2
    print(f"version {v}: {args.alias} " + ("is matched automatically again" if args.undo else
                                          f"links to {args.project}" if args.project else "is a project of its own"))
    return 0


def cmd_watch(store: Store, args) -> int:
    """Process inbox/ once (--once: exit 0 all fine, 2 a file failed, 3 store busy) or until Ctrl-C."""
    from pmo import inbox

    state = store.write_state()
    if state:
        _err(f"the store {store.root} is {state}: the drop folder cannot be processed here "
             "(files are moved and published).")
        return 2
    store.inbox.mkdir(parents=True, exist_ok=True)
    if args.once:
        results = inbox.process_inbox(store)
        for r in results:
            (print if r.status == "processed" else _err)(r.line())
        if not results:
            print(f"nothing ready in {store.inbox}")
        statuses = {r.status for r in results}
        return 2 if "failed" in statuses else 3 if "busy" in statuses else 0
    interval = args.interval or config.load(store.root)["store"].get("inbox_interval_seconds") or 5.0
    print(f"watching {store.inbox} every {interval:g} s (Ctrl-C to stop)", flush=True)

    def report(r) -> None:
        print(r.line(), flush=True, file=sys.stdout if r.status == "processed" else sys.stderr)

    try:
        inbox.watch(store, interval=interval, on_result=report)
    except KeyboardInterrupt:
        print("stopped")
    return 0


def cmd_report(store: Store, args) -> int:
    """Exit 0 sent; 2 not sent (the reason on stderr and in the audit log)."""
    from pmo import audit, report
    from pmo.ui import headless

    cfg = config.load(store.root)
    detail = {"view": report.saved_views.clean_name(args.view), "format": args.format,
              "recipients": list(args.to or []), "user": args.user}
    who, role_name = args.user or audit.current_user(), None
    try:
        to = detail["recipients"] = report.recipients(args.to)
        smtp = report.SmtpSettings.from_config(cfg)
        owner, view = report.find_view(store.root, args.view, args.user)
        role = report.owner_role(store.root, owner)
        who, role_name = owner, role.name
        detail.update(page=view["page"], params=view["params"])
        rendered = headless.render(store.root, view, owner, role)
        link = report.view_link(smtp, view)
        files = report.attachments(rendered, args.format, link)
        meta = rendered.meta
        detail.update(filters=meta.filters, as_of=meta.as_of.isoformat() if meta.as_of else None,
                      version=meta.version, files=[f for f, _, _ in files],
                      bytes=sum(len(data) for _, data, _ in files))
        msg = report.build_message(view["name"], rendered, files, to, smtp, owner, role, link)
        report.send(msg, smtp)
    except report.ReportError as exc:
        _err(f"report not sent: {exc}")
        _audit_report(store, who, role_name, {**detail, "ok": False, "error": str(exc)})
        return 2
    _audit_report(store, who, role_name, {**detail, "ok": True})
    print(f"sent '{view['name']}' ({meta.page}: {meta.filters}, as of {meta.as_of_text()}) as "
          f"{args.format} to {', '.join(to)}: {', '.join(detail['files'])} ({detail['bytes']:,} bytes)")
    return 0


def _audit_report(store: Store, user: str, role: str | None, detail: dict) -> None:
    from pmo import audit

    try:
        audit.log(store.root, user, "report", detail, role=role or "local")
    except OSError as exc:      # a read-only store: the send's outcome is printed; say what was not kept
        _err(f"the audit log could not record this ({exc}).")


COMMANDS = {
    "ingest": cmd_ingest, "sql": cmd_sql, "serve": cmd_serve, "demo": cmd_demo,
    "rebuild": cmd_rebuild, "history": cmd_history, "rollback": cmd_rollback, "check": cmd_check,
    "watch": cmd_watch, "summaries": cmd_summaries, "health": cmd_health, "link": cmd_link,
    "report": cmd_report,
}


if __name__ == "__main__":
    sys.exit(main())
