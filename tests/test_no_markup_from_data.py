"""No markup from data (issue 16, point 1): project, task, risk and person names such as
`[x](https://example.invalid)`, `![](https://example.invalid/p.png)`, `:red-badge[x]`, `<script>`,
`**bold**` and `$x$`, in every sample export that names them (tests/helpers/hostile.py), go through a
real ingest; every page (found by glob, so new pages are swept too) is opened under AppTest and every
string Streamlit renders as Markdown (st.markdown / caption / alerts / headings, labels and help
texts, radio and pill options, expander / tab / popover labels, dataframe column help, st.table
cells) is read from the element protos: none may hold a link, an image, a badge, HTML, bold or
LaTeX made from those names. The meeting pack of each page holds the names exactly as written (no
Markdown escapes) and no link or picture from outside."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, use_store
from helpers.hostile import PAYLOADS, hostile_store

pytestmark = pytest.mark.app

PAGES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]
PROJECT = "PRJ-1004"        # red, with Project Server risks, a RAID risk, tasks and a manager
DATA_VIEWS = ("Upload", "Projects to match", "History", "Data quality", "Drop folder")
# pages that always show names from the data (Home shows figures only, the Data page file names
# and checks; new pages are checked for markup only)
SHOW_NAMES = {"pages/1_Portfolio_Health.py", "pages/2_Budget_Variance.py",
              "pages/3_Salary_Benchmarks.py", "pages/5_SQL_Explorer.py",
              "pages/6_Project.py", "pages/7_Audit.py"}
# what each payload would become if Markdown read it (after removing escaped characters)
MARKUP = {"link": r"\]\(\s*<?https?://example", "image": r"!\[", "badge": r":red-badge\[x\]", "html": r"<script>",
          "bold": r"\*\*bold\*\*", "latex": r"\$x\$"}
# a user's query with names in it: the explorer shows its error, the audit page its text
HOSTILE_SQL = 'select * from "[x](https://example.invalid) **bold** $x$"'
HOSTILE_SQL_OK = "select project_name, manager from projects order by project_id"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    store, _ = hostile_store(tmp_path_factory.mktemp("hostile"))
    return store


@pytest.fixture()
def app_env(hostile, monkeypatch):
    use_store(monkeypatch, hostile.root)
    monkeypatch.setenv("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")
    return hostile


def markup(text: str) -> list[str]:
    """The kinds of markup Markdown would make of `text`: escaped characters print as themselves,
    so they are taken out first."""
    plain = re.sub(r"\\.", "\x00", text, flags=re.DOTALL)
    return [kind for kind, pattern in MARKUP.items() if re.search(pattern, plain)]


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def markdown_strings(proto) -> list[str]:
    """Every string of one element or block proto that Streamlit renders as Markdown."""
    if proto is None:
        return []
    name = proto.DESCRIPTOR.name
    out: list[str] = []
    if name == "Block":
        for sub in ("expandable", "tab", "popover", "dialog"):
            if proto.HasField(sub):
                m = getattr(proto, sub)
                out += [getattr(m, f) for f in ("label", "title", "help") if f in m.DESCRIPTOR.fields_by_name]
        return [s for s in out if s]
    if name in ("Markdown", "Alert", "Heading", "Toast"):
        out.append(proto.body)
    if name not in ("Text", "Code", "Exception"):
        out += [getattr(proto, f) for f in ("label", "help") if f in proto.DESCRIPTOR.fields_by_name]
    if name == "ButtonGroup":
        out += [o.content for o in proto.options]
    if name == "Radio":
        out += [*proto.options, *proto.captions]
    if name == "Dataframe" and proto.columns:
        out += [c.get("help") or "" for c in json.loads(proto.columns).values() if isinstance(c, dict)]
    return [s for s in out if s]


def table_strings(el) -> list[str]:
    """st.table: every cell and header is Markdown."""
    df = el.value
    return [str(c) for c in df.columns] + [v for col in df.columns for v in df[col].tolist() if isinstance(v, str)]


def rendered(at) -> tuple[list[tuple[str, str]], bytes]:
    """(Markdown strings with their element type, every proto's bytes) of a run."""
    texts, raw = [], []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = getattr(node, "type", type(node).__name__)
        texts += [(kind, s) for s in markdown_strings(proto)]
        if type(node).__name__ == "Table":
            texts += [("table", s) for s in table_strings(node)]
        raw.append(proto.SerializeToString())
    return texts, b"".join(raw)


def names_reached(raw: bytes) -> bool:
    """Some hostile name reached the page (as text, escaped or not, or in a table's data)."""
    plain = raw.replace(b"\\", b"")
    return any(p.encode() in plain for p in PAYLOADS)


def check_page(at, where: str) -> bool:
    assert not at.exception, (where, [e.value for e in at.exception])
    texts, raw = rendered(at)
    bad = [(kind, text[:200], found) for kind, text in texts if (found := markup(text))]
    assert not bad, (where, bad)
    check_pack(at, where)
    return names_reached(raw)


def pack_text(pptx: bytes) -> tuple[str, list[str]]:
    """(every text run of the deck, every relationship that points outside the file)."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(pptx))
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        external = [m for n in z.namelist() if n.endswith(".rels")
                    for m in re.findall(r'<Relationship [^>]*TargetMode="External"[^>]*>', z.read(n).decode())]
    return "\n".join(parts), external


def check_pack(at, where: str) -> None:
    from pmo import export

    if "_share_view" not in at.session_state:
        return
    view = at.session_state["_share_view"]
    if not (view.pack.kpi_rows or view.pack.tables or view.pack.charts):
        return
    view.pack.meta = view.meta()
    text, external = pack_text(export.pack_pptx(view.pack))
    assert not external, (where, external)
    # a slide is not Markdown: a name shows as written, never with Markdown's escapes
    for payload in PAYLOADS:
        assert re.sub(r"\\(.)", r"\1", payload) == payload
        escaped = "".join("\\" + c if not c.isalnum() and c != " " else c for c in payload)
        assert escaped not in text, (where, payload)
    assert "\\[" not in text and "\\*" not in text and "\\$" not in text, (where, text[:500])
    at.session_state["_pack_text"] = text


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def run_sql(at, text: str):
    at.text_area(key="sql_text").set_value(text)
    return at.button(key="sql_run").click().run()


@pytest.mark.parametrize("page", PAGES)
def test_no_page_makes_markup_from_names_in_the_data(app_env, page):
    reached = []
    if page.endswith("_Data.py"):
        for view in DATA_VIEWS:
            at = open_page(page, data_view=view)
            reached.append(check_page(at, f"{page} {view}"))
    elif page.endswith("_Project.py"):
        at = open_page(page, project=PROJECT)
        reached.append(check_page(at, page))
        assert any("Payments" in m.value for m in at.title), "the project page did not open the project"
    elif page.endswith(("_SQL_Explorer.py", "_Audit.py")):
        explorer = next(p for p in PAGES if p.endswith("_SQL_Explorer.py"))
        at = open_page(explorer)
        for sql in (HOSTILE_SQL, HOSTILE_SQL_OK):
            at = run_sql(at, sql)
            reached.append(check_page(at, f"{explorer} after {sql}"))
        assert at.dataframe, "the explorer showed no result"
        if page.endswith("_Audit.py"):
            at = open_page(page)
            reached.append(check_page(at, page))
    else:
        at = open_page(page)
        reached.append(check_page(at, page))
        if page.endswith("_Portfolio_Health.py"):
            # the red projects table of the pack names them as written
            text = at.session_state["_pack_text"]
            assert any(p in text for p in PAYLOADS), text[:500]
    if page in SHOW_NAMES:
        assert any(reached), f"no name from the data reached {page}: the sweep would prove nothing"


def test_the_checker_sees_raw_payloads_and_passes_escaped_ones():
    from pmo.ui.safe import link, md

    for payload in PAYLOADS:
        assert markup(f"Project {payload}"), payload
        assert not markup(f"Project {md(payload)}"), payload
        assert not markup(link(f"Project {payload}", "Project", project="P1")), payload
