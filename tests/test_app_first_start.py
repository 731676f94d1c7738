"""First start with an empty store: the dashboard loads the sample data itself and says so."""

from conftest import ROOT
from streamlit.testing.v1 import AppTest

from pmo.store import Store


def test_empty_store_is_filled_with_sample_data(tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(tmp_path / "fresh"))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180).run()
    assert not at.exception
    assert any("sample data" in i.value for i in at.info)
    assert Store(tmp_path / "fresh").current_version() == 1
