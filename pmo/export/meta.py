"""What every export states: where it came from (`Meta`), and the name it downloads under."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pmo.metrics import day


@dataclass
class Meta:
    """Where an export comes from. `filters` is the human summary of the filters and selections
    ("Portfolio: Digital Channels · EAC: BAC ÷ CPI"); "All projects" when there are none."""

    page: str
    filters: str = "All projects"
    as_of: date | None = None
    version: int | None = None
    link: str | None = None
    user: str | None = None
    currency: str = "USD"
    title: str | None = None                      # what is exported, e.g. "Red and amber projects"
    exported_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def as_of_text(self) -> str:
        return day(self.as_of) if self.as_of else "latest data"

    def version_text(self) -> str:
        return f"store version {self.version}" if self.version is not None else "store version unknown"

    def summary(self) -> str:
        """One line for an image or a slide footer."""
        return f"{self.filters} · as of {self.as_of_text()} · {self.version_text()}"

    def lines(self, rows: int | None = None) -> list[tuple[str, str]]:
        out = [("Page", self.page + (f": {self.title}" if self.title else "")),
               ("Filters", self.filters),
               ("As of", self.as_of_text()),
               ("Data version", self.version_text()),
               ("Exported", f"{self.exported_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
                + (f" by {self.user}" if self.user else ""))]
        if rows is not None:
            out.append(("Rows", f"{rows:,}"))
        if self.link:
            out.append(("Link", self.link))
        return out


def slug(text: str, limit: int = 60) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")
    return s[:limit].strip("-") or "export"


def file_name(meta: Meta, name: str, ext: str) -> str:
    """portfolio-health_red-projects_2026-11-20.csv"""
    when = meta.as_of.isoformat() if meta.as_of else f"{meta.exported_at:%Y-%m-%d}"
    return f"{slug(meta.page, 30)}_{slug(name, 40)}_{when}.{ext}"
