"""Saved views (pmo/saved_views.py): per user, replaced by name, removed, newest first, kept in
<store>/config/saved_views.json and safe against two people saving at once."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime

import pytest

from pmo import saved_views as sv

PAGE = "pages/1_Portfolio_Health.py"


def at(minute: int) -> datetime:
    return datetime(2026, 11, 25, 9, minute, tzinfo=UTC)


def test_saved_views_are_per_user_newest_first(tmp_path):
    sv.save_view(tmp_path, "ana@example.com", "Digital reds", PAGE, {"portfolio": "Digital Channels"}, now=at(1))
    sv.save_view(tmp_path, "ana@example.com", "Budget by project", "pages/2_Budget_Variance.py",
                 {"bv_group": "Project"}, now=at(2))
    sv.save_view(tmp_path, "ben@example.com", "Mine", PAGE, {}, now=at(3))
    ana = sv.list_views(tmp_path, "ana@example.com")
    assert [v["name"] for v in ana] == ["Budget by project", "Digital reds"]
    assert ana[1] == {"name": "Digital reds", "page": PAGE, "params": {"portfolio": "Digital Channels"},
                      "saved_at": "2026-11-25T09:01:00Z"}
    assert [v["name"] for v in sv.list_views(tmp_path, "ben@example.com")] == ["Mine"]
    assert sv.list_views(tmp_path, "carl@example.com") == []
    stored = json.loads((tmp_path / "config" / "saved_views.json").read_text())
    assert set(stored["users"]) == {"ana@example.com", "ben@example.com"}


def test_same_name_replaces_presentation_mode_is_not_saved_and_names_are_tidied(tmp_path):
    sv.save_view(tmp_path, "local", "  Digital   reds ", PAGE, {"portfolio": "A", "present": "1"}, now=at(1))
    sv.save_view(tmp_path, "local", "Digital reds", PAGE, {"portfolio": "B"}, now=at(2))
    [view] = sv.list_views(tmp_path, "local")
    assert view["name"] == "Digital reds" and view["params"] == {"portfolio": "B"}


def test_delete_and_empty_name(tmp_path):
    sv.save_view(tmp_path, "local", "One", PAGE, {}, now=at(1))
    assert sv.delete_view(tmp_path, "local", "One") is True
    assert sv.delete_view(tmp_path, "local", "One") is False
    assert sv.list_views(tmp_path, "local") == []
    with pytest.raises(ValueError):
        sv.save_view(tmp_path, "local", "   ", PAGE, {})


def test_a_damaged_file_reads_as_no_views_and_is_rewritten_on_save(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "saved_views.json").write_text("{not json")
    assert sv.list_views(tmp_path, "local") == []
    sv.save_view(tmp_path, "local", "Fresh", PAGE, {}, now=at(1))
    assert [v["name"] for v in sv.list_views(tmp_path, "local")] == ["Fresh"]


def test_people_saving_at_the_same_time_keep_every_view(tmp_path):
    def save(i: int) -> None:
        sv.save_view(tmp_path, f"user{i % 4}", f"view {i}", PAGE, {"portfolio": str(i)})

    threads = [threading.Thread(target=save, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    names = {v["name"] for u in range(4) for v in sv.list_views(tmp_path, f"user{u}")}
    assert names == {f"view {i}" for i in range(40)}
