"""Text from exports made safe for Markdown on pages: see pmo/markdown.py (pure, also used by
modules that write Markdown outside the UI, such as the Home brief)."""

from pmo.markdown import link, md

__all__ = ["link", "md"]
