"""Text from exports, mappings, saved views, user SQL or file names, made safe for Markdown (pages
import it as pmo.ui.safe).

Streamlit renders Markdown in st.markdown, st.caption, labels, help texts and more: a project
named `[x](https://evil.example)`, `![](https://evil.example/p.png)`, `:red-badge[x]`, `**bold**`
or `$x$` would become a link, an image fetched from an outside server, a badge, styling or
LaTeX. Every such text goes through `md()` before it is put into a Markdown string; links to our
own pages are built with `link()` (escaped label, URL-encoded parameters).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:^=&])")


def md(text) -> str:
    """`text` shown as written: every Markdown (and Streamlit directive) character escaped; line
    breaks kept as spaces so a value cannot start a list or a heading."""
    if text is None:
        return ""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def link(label, page_url: str, **params) -> str:
    """A Markdown link to one of our pages (`Project`, `Portfolio_Health` ...) with `params` in
    its query string: the label escaped, the parameters URL-encoded."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    target = page_url + (f"?{query}" if query else "")
    return f"[{md(label)}]({target.replace(')', '%29').replace(' ', '%20')})"
