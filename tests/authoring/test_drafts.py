"""The outline as plain data: edits, their limits, new url_names, and what changed against a version."""
from __future__ import annotations

import copy

import pytest

from lms.authoring.drafts import Outline, OutlineError, changes, clean_title, flatten, new_url_name, node


def course() -> dict:
    return node("course", "run", {"display_name": "Course"}, [
        node("chapter", "ch1", {"display_name": "One"}, [
            node("sequential", "s1", {"display_name": "S1"}, [
                node("vertical", "u1", {"display_name": "U1"}, [node("kuza_markdown", "t1", {"markdown": "a"})]),
                node("vertical", "u2", {"display_name": "U2"}, [node("kuza_markdown", "t2", {"markdown": "b"})]),
                node("vertical", "u3", {"display_name": "U3"}),
            ]),
        ]),
        node("chapter", "ch2", {"display_name": "Two"}, [node("sequential", "s2", {"display_name": "S2"})]),
    ])


def titles(outline: Outline, usage_id: str) -> list[str]:
    return [child["url_name"] for child in outline.get(usage_id)["children"]]


def test_blocks_go_only_where_olx_allows_them():
    outline = Outline(course())
    outline.add("run", "chapter", "ch3", {"display_name": "Three"})
    outline.add("u3", "kuza_quiz", "q1", {})
    assert titles(outline, "run") == ["ch1", "ch2", "ch3"] and titles(outline, "u3") == ["q1"]
    for parent, block_type in [("run", "vertical"), ("ch1", "chapter"), ("s1", "kuza_markdown"), ("u1", "vertical"),
                               ("t1", "kuza_markdown")]:
        with pytest.raises(OutlineError):
            outline.add(parent, block_type, "new", {})
    with pytest.raises(OutlineError):
        outline.add("u3", "kuza_quiz", "t1", {})  # a name in use


def test_moving_up_and_down_stops_at_the_ends():
    outline = Outline(course())
    outline.move("u3", -1)
    assert titles(outline, "s1") == ["u1", "u3", "u2"]
    outline.move("u1", 1)
    assert titles(outline, "s1") == ["u3", "u1", "u2"]
    with pytest.raises(OutlineError, match="first"):
        outline.move("u3", -1)
    with pytest.raises(OutlineError, match="last"):
        outline.move("u2", 1)
    with pytest.raises(OutlineError):
        outline.move("run", 1)


def test_a_block_moves_with_its_children_only_to_a_parent_of_the_right_kind():
    outline = Outline(course())
    assert [target["url_name"] for target in outline.destinations("u1")] == ["s2"]
    assert [target["url_name"] for target in outline.destinations("t1")] == ["u2", "u3"]
    outline.move_to("u1", "s2")
    assert titles(outline, "s2") == ["u1"] and titles(outline, "u1") == ["t1"]
    assert outline.parent_of("t1")["url_name"] == "u1" and outline.parent_of("u1")["url_name"] == "s2"
    for usage_id, target in [("u2", "ch1"), ("u2", "s1"), ("t2", "s1"), ("ch1", "run")]:
        with pytest.raises(OutlineError):
            outline.move_to(usage_id, target)


def test_deleting_a_block_deletes_what_it_holds_and_never_the_course():
    outline = Outline(course())
    assert outline.delete("s1") == ["s1", "u1", "t1", "u2", "t2", "u3"]
    assert "t1" not in outline and titles(outline, "ch1") == []
    with pytest.raises(OutlineError):
        outline.delete("run")
    with pytest.raises(OutlineError, match="no longer in the outline"):
        outline.rename("t1", "Gone")


def test_titles_are_trimmed_and_must_be_given():
    assert clean_title("  Why   learn\tfrom others ") == "Why learn from others"
    for bad in ("", "   ", "x" * 201):
        with pytest.raises(OutlineError) as raised:
            clean_title(bad)
        assert raised.value.field == "title"


def test_new_url_names_read_like_the_title_and_never_repeat_one_taken():
    name = new_url_name("Adapter une pratique à son pays", "vertical", set())
    assert name.startswith("adapter-une-pratique-a-son-pays-") and len(name) <= 100
    assert new_url_name("تكييف الممارسات", "vertical", set()).startswith("unit-")
    assert new_url_name("", "kuza_quiz", set()).startswith("quiz-")
    taken = {new_url_name("Same", "chapter", set()) for _ in range(50)}
    assert len(taken) == 50 and new_url_name("Same", "chapter", taken) not in taken


def test_changes_name_blocks_added_changed_moved_and_removed():
    before = course()
    outline = Outline(copy.deepcopy(before))
    outline.move("u3", -1)  # one unit up past another: only it moved
    outline.rename("u1", "Unit one")
    outline.get("t2")["fields"]["markdown"] = "changed"
    outline.add("s2", "vertical", "u4", {"display_name": "U4"})
    outline.move_to("u1", "s2")
    outline.delete("ch1")  # after the move: removes s1, u2, t2, u3
    found = changes(flatten(outline.root), flatten(before))
    assert [block.usage_id for block in found.added] == ["u4"]
    assert [block.usage_id for block in found.changed] == ["u1"]
    assert [block.usage_id for block in found.moved] == ["u1"]
    assert [block.usage_id for block in found.removed] == ["ch1", "s1", "u2", "t2", "u3"]


def test_reordering_counts_only_the_block_that_moved():
    before = course()
    outline = Outline(copy.deepcopy(before))
    outline.move("u1", 1)
    outline.move("u1", 1)  # u1 from first to last
    found = changes(flatten(outline.root), flatten(before))
    assert [block.usage_id for block in found.moved] == ["u1"]
    assert not found.added and not found.changed and not found.removed


def test_an_untouched_draft_has_no_changes():
    assert not changes(flatten(course()), flatten(course()))
