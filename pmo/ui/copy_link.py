"""A button that copies a link on click or tap and says so ("Link copied"), for the share bar.

Streamlit's st.code has a copy icon that appears only on hover: nothing to tap on a touch screen.
This is a custom component (st.components.v2: HTML and JS mounted in the page itself, no iframe,
so the click is the user gesture the Clipboard API needs). It writes the link with
navigator.clipboard.writeText (a secure context: https or localhost); where that is missing or
refused (plain http on another host, an old browser) it copies a selected hidden text with
document.execCommand("copy"); if both fail it says "Select the link below and copy it". The link
is passed as data, never as markup: it cannot inject HTML or script.
"""

from __future__ import annotations

import streamlit as st

COPIED = "Link copied"
FAILED = "Select the link below and copy it"

_HTML = """
<div class="pmo-copy">
  <button type="button" class="pmo-copy-button" aria-label="Copy the link to the clipboard">
    <span class="pmo-copy-icon" aria-hidden="true">&#x29C9;</span><span>Copy</span>
  </button>
  <span class="pmo-copy-status" role="status" aria-live="polite"></span>
</div>
"""

_CSS = """
.pmo-copy { display: flex; align-items: center; gap: 0.6rem; flex-wrap: wrap;
            font-family: var(--st-font, "Source Sans Pro", sans-serif); }
.pmo-copy-button { display: inline-flex; align-items: center; gap: 0.4rem; min-height: 2.5rem;
                   padding: 0.25rem 0.9rem; border-radius: 0.5rem; cursor: pointer; font: inherit;
                   font-size: 1rem; color: #ffffff; background: var(--st-primary-color, #1f4e79);
                   border: 1px solid var(--st-primary-color, #1f4e79); touch-action: manipulation; }
.pmo-copy-button:hover { filter: brightness(1.1); }
.pmo-copy-button:focus-visible { outline: 3px solid #000000; outline-offset: 2px; }
.pmo-copy-status { font-size: 0.95rem; color: var(--st-text-color, #262730); }
.pmo-copy-status.failed { color: #9a3412; }
"""

_JS = """
export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement;
  const button = root.querySelector(".pmo-copy-button");
  const status = root.querySelector(".pmo-copy-status");
  // the latest link (the function runs again when the link changes)
  root.__pmoLink = (data && data.link) || "";
  root.__pmoCopied = (data && data.copied) || "Link copied";
  root.__pmoFailed = (data && data.failed) || "Select the link below and copy it";
  if (button.__pmoBound) { return; }
  button.__pmoBound = true;

  function legacyCopy(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-1000px";
    document.body.appendChild(area);
    area.select();
    area.setSelectionRange(0, text.length);
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function say(ok) {
    status.textContent = ok ? root.__pmoCopied : root.__pmoFailed;
    status.classList.toggle("failed", !ok);
    button.setAttribute("data-copied", ok ? "yes" : "no");
    clearTimeout(root.__pmoTimer);
    if (ok) { root.__pmoTimer = setTimeout(() => { status.textContent = ""; }, 8000); }
  }

  button.addEventListener("click", async () => {
    const link = root.__pmoLink;
    if (!link) { say(false); return; }
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(link); say(true); return; } catch (e) { /* below */ }
    }
    say(legacyCopy(link));
  });
}
"""

_component = st.components.v2.component("pmo_copy_link", html=_HTML, css=_CSS, js=_JS)


def copy_button(link: str, *, key: str | None = None) -> None:
    """A "Copy" button for `link`: copies it on click or tap, then says "Link copied" (or, when
    the browser refuses, "Select the link below and copy it": the caller shows the link)."""
    _component(key=key, data={"link": link, "copied": COPIED, "failed": FAILED}, width="stretch")
