"""pmo.parse: every rule of the cell parsers, on small literal columns with hand-worked values."""

from datetime import date

import polars as pl
import pytest

from pmo.parse import (
    AmbiguousDates,
    by_unique,
    Parsed,
    is_mangled_id,
    seconds_to_hours,
    split_list,
    split_person,
    strip_html,
    to_bool,
    to_date,
    to_duration_hours,
    to_health,
    to_money,
    to_number,
    to_percent,
)


def col(*values):
    return pl.Series("c", list(values), dtype=pl.String)


def vals(p: Parsed):
    return p.values.to_list()


def bads(p: Parsed):
    return p.bad.to_list()


# --- shared conventions ----------------------------------------------------------------------


def test_empty_cells_are_null_not_bad():
    p = to_number(col(None, "", "   ", "\u00a0"))
    assert vals(p) == [None, None, None, None]
    assert bads(p) == [False, False, False, False]
    assert p.bad.dtype == pl.Boolean
    assert p.note == ""


def test_result_keeps_length_and_name():
    p = to_number(col("1", "x"))
    assert p.values.name == "c" and p.bad.name == "c"
    assert p.values.dtype == pl.Float64
    assert len(p.values) == len(p.bad) == 2


def test_surrounding_whitespace_and_nbsp_ignored():
    assert vals(to_number(col("  12.5\u00a0", "\t3 "))) == [12.5, 3.0]


# --- to_number -------------------------------------------------------------------------------


def test_comma_decimal_with_dot_thousands():
    p = to_number(col("1.254,51"))
    assert vals(p) == [1254.51]
    assert "decimal comma" in p.note and "1.254,51" in p.note


def test_sap_trailing_minus():
    assert vals(to_number(col("310,00-"))) == [-310.0]


def test_parentheses_are_negative():
    assert vals(to_number(col("(1,200.50)"))) == [-1200.5]


def test_leading_minus_plus_and_unicode_minus():
    assert vals(to_number(col("-12.5", "+3", "\u221212"))) == [-12.5, 3.0, -12.0]


def test_two_sign_markers_are_bad():
    p = to_number(col("(-12)", "5"))
    assert vals(p) == [None, 5.0]
    assert bads(p) == [True, False]


def test_comma_decimal_column_mixed_with_ints():
    p = to_number(col("12", "1.254,51", "300", "0,5", "1.000"))
    assert vals(p) == [12.0, 1254.51, 300.0, 0.5, 1000.0]
    assert not p.bad.any()


def test_dot_decimal_with_comma_thousands():
    p = to_number(col("1,254.51", "2105.0", "1,234,567"))
    assert vals(p) == [1254.51, 2105.0, 1234567.0]
    assert p.note == ""  # the usual case is not worth a note


def test_space_nbsp_thinspace_apostrophe_thousands():
    p = to_number(col("1 254,51", "1\u00a0254,51", "1\u2009254,51", "1\u202f254,51", "1'254,51"))
    assert vals(p) == [1254.51] * 5


def test_apostrophe_thousands_with_dot_decimal():
    assert vals(to_number(col("1'254.50"))) == [1254.5]


def test_only_ambiguous_values_read_separator_as_thousands():
    p = to_number(col("1,254", "12", "208,000"))
    assert vals(p) == [1254.0, 12.0, 208000.0]
    assert "thousands" in p.note and "1,254" in p.note
    assert vals(to_number(col("1.254", "12.000"))) == [1254.0, 12000.0]


def test_plain_integers_have_no_note():
    assert to_number(col("1", "22", "333")).note == ""


def test_explicit_decimal_overrides_evidence():
    assert vals(to_number(col("1,254"), decimal=",")) == [1.254]
    p = to_number(col("1.254,51", "2105.0"), decimal=".")
    assert vals(p) == [None, 2105.0]
    assert bads(p) == [True, False]


def test_conflicting_decimal_marks_majority_wins_rest_bad():
    p = to_number(col("1.254,51", "310,00", "2105.0"))
    assert vals(p) == [1254.51, 310.0, None]
    assert bads(p) == [False, False, True]
    assert "majority" in p.note


def test_currency_symbols_and_codes_are_stripped():
    p = to_number(col("$48,200.00", "€1,250,000.00", "USD 12.5", "12.5 EUR", "£0.99"))
    assert vals(p) == [48200.0, 1250000.0, 12.5, 12.5, 0.99]
    assert vals(to_number(col("EUR;1.234,56", "1 254,51 PLN"))) == [1234.56, 1254.51]


def test_float_text_and_scientific():
    assert vals(to_number(col("2105.0", "1.2E+3", "5e-1", ".5"))) == [2105.0, 1200.0, 0.5, 0.5]


def test_percent_sign_is_bad_in_to_number():
    p = to_number(col("35%", "12"))
    assert vals(p) == [None, 12.0]
    assert bads(p) == [True, False]
    assert "35%" in p.note


def test_garbage_is_bad_and_noted():
    p = to_number(col("n/a", "12 5", "-", "7"))
    assert bads(p) == [True, True, True, False]
    assert p.note.startswith("3 unreadable numbers")


def test_vectorised_on_a_million_values():
    n = 1_000_000
    s = pl.Series("c", ["1.254,51", "310,00-", "12", None] * (n // 4))
    p = to_number(s)
    assert len(p.values) == n
    assert p.values.sum() == pytest.approx((1254.51 - 310.0 + 12) * n / 4)
    assert not p.bad.any()


# --- to_money --------------------------------------------------------------------------------


def test_money_servicenow_currency_prefix():
    p, cur = to_money(col("EUR;1.234,56"))
    assert vals(p) == [1234.56]
    assert cur.to_list() == ["EUR"]


def test_money_euro_symbol():
    p, cur = to_money(col("€1,250,000.00", "€512,300.00"))
    assert vals(p) == [1250000.0, 512300.0]
    assert cur.to_list() == ["EUR", "EUR"]


def test_money_dollar_and_codes_per_row():
    p, cur = to_money(col("$48,200.00", "USD 12.5", "12 CHF", "£3.00", "¥500", "7.00", None))
    assert vals(p) == [48200.0, 12.5, 12.0, 3.0, 500.0, 7.0, None]
    assert cur.to_list() == ["USD", "USD", "CHF", "GBP", "JPY", None, None]
    assert "mixed currencies (CHF, GBP, JPY, USD)" in p.note


def test_money_code_after_amount_and_negative():
    p, cur = to_money(col("1 254,51 PLN", "(€310,00)"))
    assert vals(p) == [1254.51, -310.0]
    assert cur.to_list() == ["PLN", "EUR"]


def test_money_bad_amount_has_no_currency():
    p, cur = to_money(col("TBD", "$5"))
    assert bads(p) == [True, False]
    assert cur.to_list() == [None, "USD"]


# --- to_date ---------------------------------------------------------------------------------


def test_day_first_settled_by_evidence():
    p = to_date(col("02/01/2026", "13/01/2026", None))
    assert vals(p) == [date(2026, 1, 2), date(2026, 1, 13), None]
    assert p.note == "dates read day-first ('13/01/2026' on row 2 settles it)"


def test_month_first_settled_by_evidence():
    p = to_date(col("02/01/2026", "01/13/2026"))
    assert vals(p) == [date(2026, 2, 1), date(2026, 1, 13)]
    assert "month-first" in p.note and "01/13/2026" in p.note


def test_undecidable_order_raises_with_clear_message():
    with pytest.raises(AmbiguousDates) as err:
        to_date(col("01/02/2026", "03/04/2026", "05/06/2026", "07/08/2026"), name="Start")
    msg = str(err.value)
    assert "'Start'" in msg
    assert "'01/02/2026'" in msg and "'03/04/2026'" in msg and "'07/08/2026'" not in msg
    assert "--date-order dmy" in msg and "mdy" in msg and "mapping file" in msg
    assert isinstance(err.value, ValueError)


def test_undecidable_order_uses_default_order():
    p = to_date(col("01/02/2026", "03/04/2026"), default_order="dmy")
    assert vals(p) == [date(2026, 2, 1), date(2026, 4, 3)]
    assert "default" in p.note
    p = to_date(col("01/02/2026", "03/04/2026"), default_order="dmy", order="mdy")
    assert vals(p) == [date(2026, 1, 2), date(2026, 3, 4)]


def test_evidence_beats_order():
    assert vals(to_date(col("13/01/2026"), order="mdy")) == [date(2026, 1, 13)]


def test_conflicting_evidence_majority_and_bad_rows():
    p = to_date(col("13/01/2026", "14/01/2026", "01/13/2026"))
    assert vals(p) == [date(2026, 1, 13), date(2026, 1, 14), None]
    assert bads(p) == [False, False, True]
    assert "majority" in p.note


def test_equal_conflict_without_order_raises():
    with pytest.raises(AmbiguousDates):
        to_date(col("13/01/2026", "01/13/2026"))


def test_bad_order_value_rejected():
    with pytest.raises(ValueError):
        to_date(col("2026-01-05"), order="ymd")


def test_jira_dates():
    p = to_date(col("05/Oct/25 12:00 AM", "15/Feb/26 4:37 PM", "15/Sep/25", ""))
    assert vals(p) == [date(2025, 10, 5), date(2026, 2, 15), date(2025, 9, 15), None]
    assert not p.bad.any()


def test_ms_project_weekday_prefix_settles_month_first():
    # 2026-01-05 is a Monday; 2026-05-01 (the day-first reading) is a Friday.
    p = to_date(col("Mon 1/5/26", "Fri 3/6/26"))
    assert vals(p) == [date(2026, 1, 5), date(2026, 3, 6)]
    assert "month-first" in p.note
    assert vals(to_date(col("Mon 01/05/2026"))) == [date(2026, 1, 5)]


def test_ado_datetime_month_first():
    p = to_date(col("11/3/2025 9:14:22 AM", "11/14/2025 5:47:02 PM"))
    assert vals(p) == [date(2025, 11, 3), date(2025, 11, 14)]


def test_sap_dotted_dates_are_day_first():
    p = to_date(col("14.11.2025", "01.02.2026", "23.10.2024 11:02"))
    assert vals(p) == [date(2025, 11, 14), date(2026, 2, 1), date(2024, 10, 23)]


def test_excel_serial():
    serial = (date(2026, 1, 5) - date(1899, 12, 30)).days
    assert serial == 46027
    p = to_date(col("46027", "46027.5", "46028"))
    assert vals(p) == [date(2026, 1, 5), date(2026, 1, 5), date(2026, 1, 6)]
    assert "Excel serial" in p.note


def test_excel_serial_only_in_plausible_range_and_all_numeric_column():
    p = to_date(col("46027", "12345"))
    assert vals(p) == [date(2026, 1, 5), None]
    assert bads(p) == [False, True]
    p = to_date(col("2026-01-05", "46027"))  # a number among text dates is not a serial
    assert vals(p) == [date(2026, 1, 5), None]
    assert bads(p) == [False, True]


def test_monday_updates_double_space():
    assert vals(to_date(col("03/October/2025  04:00:18 PM"))) == [date(2025, 10, 3)]


def test_iso_variants_time_dropped():
    p = to_date(col("2026-01-05", "2026-01-05T10:00:00Z", "2026-01-05 08:00",
                    "2026-01-05T10:00:00.123+01:00", "2026/01/05"))
    assert vals(p) == [date(2026, 1, 5)] * 5
    assert p.values.dtype == pl.Date
    assert p.note == ""


def test_odata_date():
    assert vals(to_date(col("/Date(1736150400000)/"))) == [date(2025, 1, 6)]


def test_other_shapes():
    assert vals(to_date(col("20260105"))) == [date(2026, 1, 5)]
    assert vals(to_date(col("Jan 5, 2026"))) == [date(2026, 1, 5)]
    assert vals(to_date(col("05-Oct-2025"))) == [date(2025, 10, 5)]


def test_best_format_wins_and_rest_bad():
    p = to_date(col("2026-01-05", "2026-02-30", "soon", "2026-03-01"))
    assert vals(p) == [date(2026, 1, 5), None, None, date(2026, 3, 1)]
    assert bads(p) == [False, True, True, False]
    assert "2 unreadable dates" in p.note


def test_all_empty_date_column():
    p = to_date(col(None, ""))
    assert vals(p) == [None, None] and bads(p) == [False, False]


# --- to_percent ------------------------------------------------------------------------------


def test_percent_sign():
    assert vals(to_percent(col("35%", "100%", "0%"))) == pytest.approx([0.35, 1.0, 0.0])


def test_percent_fraction_column_as_is():
    p = to_percent(col("0.35", "1", "0"))
    assert vals(p) == [0.35, 1.0, 0.0]
    assert p.note == ""


def test_percent_points_column_divided():
    p = to_percent(col("35", "100", "0", "42.5"))
    assert vals(p) == pytest.approx([0.35, 1.0, 0.0, 0.425])
    assert "percent points" in p.note


def test_percent_comma_decimal():
    assert vals(to_percent(col("42,5 %", "7 %"))) == pytest.approx([0.425, 0.07])


def test_percent_bad():
    p = to_percent(col("lots", "10%"))
    assert vals(p) == [None, pytest.approx(0.1)] and bads(p) == [True, False]


# --- durations -------------------------------------------------------------------------------


def test_ms_project_durations():
    p = to_duration_hours(col("45 days", "2 edays", "3 days?", "40 hrs", "1 wk", "0 days", "1 ewk"))
    assert vals(p) == [360.0, 48.0, 24.0, 40.0, 40.0, 0.0, 168.0]
    assert "estimated" in p.note


def test_iso_duration():
    assert vals(to_duration_hours(col("PT40H0M0S", "PT7H30M0S", "P1DT2H"))) == [40.0, 7.5, 10.0]


def test_thousands_in_duration():
    assert vals(to_duration_hours(col("1,480 hrs", "480 hrs"))) == [1480.0, 480.0]


def test_decimal_and_localized_units():
    assert vals(to_duration_hours(col("2.5 days"))) == [20.0]
    assert vals(to_duration_hours(col("2,5 Tage", "3 Std", "2 Wochen"))) == [20.0, 3.0, 80.0]
    assert vals(to_duration_hours(col("4 jours"))) == [32.0]


def test_short_units_minutes_months_and_compound():
    p = to_duration_hours(col("5d", "4h", "2w", "30 min", "90m", "1 mo", "2 mons", "1w 2d 3h"))
    assert vals(p) == [40.0, 4.0, 80.0, 0.5, 1.5, 160.0, 320.0, 59.0]


def test_calendar_parameters():
    p = to_duration_hours(col("1 day", "1 wk", "1 month"), hours_per_day=7.5, days_per_week=4,
                          days_per_month=21)
    assert vals(p) == [7.5, 30.0, 157.5]


def test_bare_numbers_use_bare_unit():
    assert vals(to_duration_hours(col("16", "2.5"))) == [16.0, 2.5]
    assert vals(to_duration_hours(col("2"), bare_unit="d")) == [16.0]
    assert vals(to_duration_hours(col("7200"), bare_unit="s")) == [2.0]
    assert vals(to_duration_hours(col("90"), bare_unit="m")) == [1.5]
    with pytest.raises(ValueError):
        to_duration_hours(col("1"), bare_unit="fortnight")


def test_unknown_unit_is_bad():
    p = to_duration_hours(col("3 parsecs", "3 h", "soon"))
    assert vals(p) == [None, 3.0, None]
    assert bads(p) == [True, False, True]


def test_seconds_to_hours():
    p = seconds_to_hours(col("12600", "0", "", "57600"))
    assert vals(p) == [3.5, 0.0, None, 16.0]
    assert bads(p) == [False, False, False, False]


# --- to_bool ---------------------------------------------------------------------------------


def test_bool_spellings():
    p = to_bool(col("true", "FALSE", "Yes", "no", "Y", "n", "1", "0", "x", "checked", "unchecked",
                    "Ja", "Nein", "✓", "", None))
    assert vals(p) == [True, False, True, False, True, False, True, False, True, True, False,
                       True, False, True, None, None]
    assert p.values.dtype == pl.Boolean
    assert not p.bad.any()


def test_bool_bad():
    p = to_bool(col("maybe"))
    assert vals(p) == [None] and bads(p) == [True]


# --- to_health -------------------------------------------------------------------------------


def test_health_words_and_letters():
    p = to_health(col("Green", "Yellow", "Red", "Amber", "Orange", "G", "A", "R", "Y",
                      "On track", "At risk", "Off track", "On Track", "Needs attention", "ok",
                      "green", "yellow", "red", "🟢", "🟡", "🔴"))
    assert vals(p) == ["green", "amber", "red", "amber", "amber", "green", "amber", "red", "amber",
                       "green", "amber", "red", "green", "amber", "green",
                       "green", "amber", "red", "green", "amber", "red"]
    assert not p.bad.any()


def test_health_no_rating_is_null_not_bad():
    p = to_health(col("No status", "Not reported", "Grey", "Gray", "Blue", None))
    assert vals(p) == [None] * 6
    assert not p.bad.any()


def test_health_numbers_only_when_whole_column_is_1_to_3():
    p = to_health(col("1", "2", "3", None))
    assert vals(p) == ["green", "amber", "red", None]
    assert "1 = green" in p.note
    p = to_health(col("1", "Green"))
    assert vals(p) == [None, "green"]
    assert bads(p) == [True, False]


def test_health_unknown_is_bad():
    p = to_health(col("purple"))
    assert bads(p) == [True]


# --- people, lists, html, ids ----------------------------------------------------------------


def test_split_person():
    name, email = split_person(col("Dana Ortiz <dana.ortiz@contoso.com>", "ben@contoso.com",
                                   "Priya Nair", '"Ortiz, Dana" <d@x.com>', "", None))
    assert name.to_list() == ["Dana Ortiz", None, "Priya Nair", "Ortiz, Dana", None, None]
    assert email.to_list() == ["dana.ortiz@contoso.com", "ben@contoso.com", None, "d@x.com",
                               None, None]


def test_split_list():
    out = split_list(col("payments; pci", "a;;b ; ", "", None, " solo "), ";")
    assert out.dtype == pl.List(pl.String)
    assert out.to_list() == [["payments", "pci"], ["a", "b"], None, None, ["solo"]]
    assert split_list(col("Wireframes,UI kit"), ",").to_list() == [["Wireframes", "UI kit"]]


def test_strip_html():
    out = strip_html(col("<div>Rack &amp; stack<br>late &lt;2w&gt;&nbsp;now</div>",
                         "<p>It&#39;s &quot;ok&quot;</p><p>next</p>", "<p></p>", None, "plain"))
    assert out.to_list() == ["Rack & stack late <2w> now", 'It\'s "ok" next', None, None, "plain"]


def test_is_mangled_id():
    out = is_mangled_id(col("1.21143E+15", "1208831745520931", "1E+15", "PRJ0010042", None,
                            " 1.20883e+15 "))
    assert out.to_list() == [True, False, True, False, False, True]


def test_by_unique_gives_the_same_values_and_recounts_bad_rows():
    s = pl.Series("period", ["13/01/2026", "02/01/2026", "x"] * 50_000)
    direct, fast = to_date(s), by_unique(to_date, s)
    assert fast.values.to_list() == direct.values.to_list()
    assert fast.bad.to_list() == direct.bad.to_list()
    assert fast.note == "dates read day-first ('13/01/2026' settles it); 50000 unreadable dates (e.g. 'x')"


def test_reader_tidy_strips_and_blanks_only_where_needed():
    from pmo.readers import tidy

    body = pl.DataFrame({"c0": ["a", " b ", "\u00a0", None], "c1": ["1", "2", "3", "4"]})
    out = tidy(body)
    assert out["c0"].to_list() == ["a", "b", None, None]
    assert out["c1"].to_list() == ["1", "2", "3", "4"]


def test_money_plain_and_padded_amounts_read_the_same():
    plain, _ = to_money(pl.Series(["12.50", "-3", None]))
    padded, _ = to_money(pl.Series([" 12.50", "-3 ", ""]))
    assert plain.values.to_list() == padded.values.to_list() == [12.5, -3.0, None]
    assert plain.bad.to_list() == padded.bad.to_list() == [False, False, False]
