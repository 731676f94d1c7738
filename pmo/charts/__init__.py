"""Altair chart builders, one module per page topic. Builders are pure: data in, `alt.Chart` out,
no Streamlit; every chart has a title saying what it shows, formatted axes and titled tooltips."""

import altair as alt

RAG_DOMAIN = ["green", "amber", "red", "grey"]
RAG_RANGE = ["#2e8b57", "#f0a500", "#c0392b", "#9e9e9e"]


def rag_color(field: str = "health", title: str = "Health") -> alt.Color:
    """The one RAG colour scale used by every chart (grey = no data / no baseline)."""
    return alt.Color(f"{field}:N", title=title, scale=alt.Scale(domain=RAG_DOMAIN, range=RAG_RANGE),
                     legend=alt.Legend(orient="top"))
