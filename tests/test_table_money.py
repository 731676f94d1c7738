"""Money in tables: whole units with the sign before the currency symbol (-$567,535, not
$-567,535), and values rounded, not cut, to whole units."""

from __future__ import annotations

import polars as pl
from streamlit.testing.v1 import AppTest

from pmo import metrics
from pmo.ui import tables


def test_usd_euro_and_yen_use_streamlits_currency_formats_without_cents():
    for currency, fmt in (("USD", "dollar"), ("EUR", "euro"), ("JPY", "yen")):
        cfg = tables.column("forecast_variance", pl.Float64, currency)
        assert cfg["type_config"]["format"] == fmt and cfg["type_config"]["step"] == 1
        assert cfg["label"] == metrics.label("forecast_variance")


def test_other_currencies_name_the_currency_in_the_header():
    cfg = tables.column("forecast_variance", pl.Float64, "GBP")
    assert cfg["label"] == metrics.label("forecast_variance") + " (£)"
    assert cfg["type_config"]["format"] == "%,.0f"
    assert tables.column("forecast_variance", pl.Float64, "SEK")["label"].endswith(" (SEK)")


def test_money_is_rounded_to_whole_units_and_nothing_else_changes():
    df = pl.DataFrame({"forecast_variance": [1_234_567.8, -567_535.4, 0.4, None],
                       "cpi": [0.987, 1.2, 0.5, 1.0], "project_id": ["A", "B", "C", "D"]})
    out = tables.whole_money(df)
    assert out["forecast_variance"].to_list() == [1_234_568.0, -567_535.0, 0.0, None]
    assert out.drop("forecast_variance").equals(df.drop("forecast_variance"))


def test_a_table_sends_rounded_money_with_the_dollar_format():
    at = AppTest.from_string("""
import polars as pl
from pmo.ui import tables
tables.show(pl.DataFrame({"project_id": ["A", "B"], "forecast_variance": [1_234_567.8, -567_535.4]}), key="t")
""")
    at.run()
    assert not at.exception
    assert at.dataframe[0].value["forecast_variance"].tolist() == [1_234_568.0, -567_535.0]
