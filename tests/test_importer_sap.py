"""SAP CJI3 / KSB1 line items: English and German headers, cp1252, `;` / tab / `|`, trailing minus."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from pmo import config
from pmo.importers import sap
from pmo.ingest import analyse

from conftest import FIXTURES

SAP = FIXTURES / "sap"
COLS = ["project_id", "period", "category", "cost_center", "kind", "amount_original", "currency"]

GERMAN = (
    "Projektdefinition;PSP-Element;Kostenart;Kostenartenbez.;Buchungsdatum;Periode;Geschäftsjahr;Belegnummer;"
    "Name;Wert/TWähr;TWähr;Wert/KWähr;KWähr;Partner-KSt\r\n"
    "P-100200;P-100200-01-03;400000;Verbrauch Rohmaterial;14.11.2025;11;2025;100482771;Kabelsätze Charge 7;"
    "1.254,51;EUR;1.254,51;EUR;\r\n"
    "P-100200;P-100200-01-03;615000;Eigenleistung Personal;28.11.2025;11;2025;100483125;Inês Duarte;"
    "3.465,00;EUR;3.465,00;EUR;CC4711\r\n"
    ";P-100200-02-01;416100;Abrechnung Storno;30.11.2025;11;2025;100483990;Storno Rechnung €;"
    "310,00-;EUR;310,00-;EUR;\r\n"
    ";P-100300-01;430000;Fremdleistung;02.12.2025;12;2025;100484001;Müller GmbH;"
    "12.000,00;CHF;11.250,00;EUR;\r\n"
    ";;;;;;;;;;;15.609,51;EUR;\r\n"
)


def rows(outcome) -> list[tuple]:
    return outcome.frames["financials"].select([*COLS, "_row"]).rows()


def test_german_semicolon_cp1252_export(tmp_path):
    f = tmp_path / "KSB1_Istkosten_2025-12.csv"
    f.write_bytes(GERMAN.encode("cp1252"))
    o = analyse(f, settings=copy.deepcopy(config.load()))
    assert o.tool == "sap_cji3" and o.label == "SAP CJI3 / KSB1 cost line items"
    assert o.source == "sap_cji3:ksb1_istkosten"
    # The CO-area value is preferred to the transaction value (CHF 12.000,00 -> EUR 11.250,00).
    assert rows(o) == [
        ("P-100200", date(2025, 11, 1), "Verbrauch Rohmaterial", None, "actual", 1254.51, "EUR", 2),
        ("P-100200", date(2025, 11, 1), "Eigenleistung Personal", "CC4711", "actual", 3465.00, "EUR", 3),
        ("P-100200", date(2025, 11, 1), "Abrechnung Storno", None, "actual", -310.00, "EUR", 4),
        # no project definition: from the WBS element's coding mask
        ("P-100300", date(2025, 12, 1), "Fremdleistung", None, "actual", 11250.00, "EUR", 5),
    ]
    assert o.rejects == []
    assert o.notes[0] == "amounts from 'Wert/KWähr' (CO area currency EUR)"
    assert "dropped 1 total line without project, WBS element or document (row 6)" in o.notes
    assert any("decimal comma" in n for n in o.notes)


def test_english_export_prefers_report_currency():
    o = analyse(SAP / "cji3_actuals_2025-11.csv", settings=copy.deepcopy(config.load()))
    assert o.tool == "sap_cji3"
    assert rows(o) == [
        ("P-100200", date(2025, 11, 1), "Consumption raw mat.", None, "actual", 1461.38, "USD", 2),
        ("P-100200", date(2025, 11, 1), "Internal labour", "CC4711", "actual", 4036.52, "USD", 3),
        ("P-100200", date(2025, 11, 1), "Settlement reversal", None, "actual", -361.12, "USD", 4),
        ("P-100200", date(2025, 12, 1), "Settlement reversal", None, "actual", 360.05, "USD", 5),
    ]
    assert o.notes[0] == "amounts from 'Val.in rep.cur.' (report currency USD)"
    assert "dates read month-first ('11/14/2025' settles it)" in o.notes


def test_tab_delimited_transaction_currency_only(tmp_path):
    f = tmp_path / "cji3.txt"
    f.write_text("WBS Element\tCost Element\tCost element name\tPosting Date\tDocument Number\tValue TranCurr\t"
                 "Transaction Currency\n"
                 "PRJ0010042-01\t615000\tInternal labour\t03.02.2026\t1\t1.000,00\tGBP\n"
                 "PRJ0010042-02\t400000\tMaterial\t10.02.2026\t2\t250,50-\tGBP\n"
                 "PRJ0010042-02\t400000\tMaterial\t\t3\t5,00\tGBP\n"
                 "\t400000\tMaterial\t11.02.2026\t4\t7,00\tGBP\n", encoding="utf-8")
    o = analyse(f, settings=copy.deepcopy(config.load()))
    assert rows(o) == [
        ("PRJ0010042", date(2026, 2, 1), "Internal labour", None, "actual", 1000.0, "GBP", 2),
        ("PRJ0010042", date(2026, 2, 1), "Material", None, "actual", -250.5, "GBP", 3),
    ]
    assert sorted((r.row, r.column, r.reason) for r in o.rejects) == [
        (4, "Posting Date", "posting date is empty"),
        (5, "WBS Element", "no project definition or WBS element"),
    ]
    assert o.notes[0] == "amounts from 'Value TranCurr' (transaction currency GBP)"


def test_unconverted_list_with_title_lines_and_rules():
    o = analyse(SAP / "cji3_unconverted_de.txt", settings=copy.deepcopy(config.load()))
    assert o.tool == "sap_cji3"
    # Lines 1-5 are title lines, rules and the header; the two items are on lines 6 and 7.
    assert rows(o) == [
        ("P-100200", date(2025, 11, 1), "400000", None, "actual", 1254.51, "EUR", 6),
        ("P-100200", date(2025, 11, 1), "416100", None, "actual", -310.0, "EUR", 7),
    ]
    assert o.rejects == []


@pytest.mark.parametrize("header, concept", [
    ("Val.in rep.cur.", "val_rep"), ("Val/COArea Crcy", "val_co"), ("COAr Crcy", "cur_co"),
    ("CO Area Currency", "cur_co"), ("Wert/KWähr", "val_co"), ("KWähr", "cur_co"), ("BW ährung", "cur_rep"),
    ("Wert/BWähr", "val_rep"), ("PSP-Element", "wbs"), ("Kostenartenbez.", "cost_element_name"),
    ("Cost Elem.", "cost_element"), ("Buchungsdatum", "posting_date"), ("Geschäftsjahr", "fiscal_year"),
])
def test_header_spellings(header, concept):
    assert sap._KEYS[sap.squash(header)] == concept


def test_sap_fingerprint_beats_the_ledger_on_a_cji3_header():
    header = ["Project Definition", "WBS Element", "Cost Element", "Posting Date", "Period", "Fiscal Year",
              "Val/COArea Crcy"]
    assert sap.FINGERPRINT.score(header) > 0
    from pmo.importers import ledger
    assert ledger.FINGERPRINT.score(header) == 0


def test_amount_column_with_a_stated_currency_wins_over_an_unstated_one(tmp_path):
    # The case: a CJI3 layout shows Val/COArea Crcy without its currency column, and the
    # object and transaction values with theirs. EUR amounts must not be read as the reporting USD.
    f = tmp_path / "cji3_eur.csv"
    f.write_text("Project Definition;WBS Element;Cost Element;Cost element name;Posting Date;Document Number;"
                 "Val/COArea Crcy;Value in Obj. Crcy;Object Currency;Value TranCurr;Transaction Currency\n"
                 "P-200100;P-200100-01;615000;Internal labour;03.02.2026;100491;1.000,00;1.000,00;EUR;1.170,00;CHF\n"
                 "P-200100;P-200100-02;400000;Material;10.02.2026;100492;250,50-;250,50-;EUR;250,50-;EUR\n",
                 encoding="utf-8")
    o = analyse(f, settings=copy.deepcopy(config.load()))
    assert [r[4:7] for r in rows(o)] == [("actual", 1000.0, "EUR"), ("actual", -250.5, "EUR")]
    assert o.notes[0] == "amounts from 'Value in Obj. Crcy' (object currency EUR)"
    assert o.notes[1] == "not read: 'Val/COArea Crcy', whose currency the file does not state"


def test_transaction_currency_when_it_is_the_only_one_stated(tmp_path):
    f = tmp_path / "cji3_tx.csv"
    f.write_text("WBS Element;Cost Element;Posting Date;Document Number;Val/COArea Crcy;Value TranCurr;"
                 "Transaction Currency\n"
                 "PRJ0010042-01;615000;03.02.2026;1;1.080,00;1.000,00;EUR\n", encoding="utf-8")
    o = analyse(f, settings=copy.deepcopy(config.load()))
    assert [r[5:7] for r in rows(o)] == [(1000.0, "EUR")]
    assert o.notes[0] == "amounts from 'Value TranCurr' (transaction currency EUR)"
