"""Reading a built PowerPoint slide back in tests."""

from __future__ import annotations


def slide_texts(slide) -> list[str]:
    """Every text on a python-pptx slide: text frames, then table cells, in shape order."""
    out: list[str] = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [c.text for row in shape.table.rows for c in row.cells]
    return out
