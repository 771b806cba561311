"""Tests for the kuza_markdown block on xblock-sdk's workbench runtime: views, fields, editor."""

import json
import re
from importlib import resources

import pytest
from webob import Request
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Scope

from kuza_xblocks.markdown.block import MarkdownBlock, stylesheet
from kuza_xblocks.markdown.scenarios import WORKBENCH_SCENARIOS

LESSON = """# Why innovate?

A **one-stop shop** saves citizens time[^1].

| Country | Days |
|:--|--:|
| Rwanda | 2 |

![The shop](/static/images/shop.png)

[^1]: Programme figures.
"""


def css_resources(fragment):
    return [r for r in fragment.resources if r.mimetype == "text/css"]


def test_block_is_registered_as_kuza_markdown():
    assert XBlock.load_class("kuza_markdown") is MarkdownBlock


def test_fields_scopes_and_defaults(make_block):
    block = make_block()
    assert MarkdownBlock.display_name.scope == Scope.settings
    assert MarkdownBlock.markdown.scope == Scope.content
    assert MarkdownBlock.markdown.runtime_options.get("multiline_editor") is True
    assert block.display_name == "Lesson"
    assert block.markdown == ""


def test_reading_is_completable_on_view_and_never_scored():
    assert MarkdownBlock.has_score is False
    assert MarkdownBlock.completion_mode == XBlockCompletionMode.COMPLETABLE
    assert MarkdownBlock.has_custom_completion is False


def test_student_view_renders_sanitised_markdown_in_the_block_root(make_block):
    block = make_block(markdown=LESSON + "\n<script>alert(1)</script> [x](javascript:alert(2))")
    html = block.student_view({}).content
    assert html.startswith('<div class="kuza-markdown" dir="auto">')
    assert "<h1>Why innovate?</h1>" in html
    assert "<strong>one-stop shop</strong>" in html
    assert '<th align="left">Country</th>' in html
    assert 'src="/static/images/shop.png"' in html
    assert "Programme figures." in html
    assert "<script" not in html and "javascript:" not in html and "alert" not in html


def test_student_view_markup_is_not_escaped_twice(make_block):
    html = make_block(markdown="Fish & chips < 3").student_view({}).content
    assert "<p>Fish &amp; chips &lt; 3</p>" in html


def test_student_view_adds_its_css_inline_and_no_javascript(make_block):
    fragment = make_block(markdown=LESSON).student_view({})
    (css,) = css_resources(fragment)
    assert css.kind == "text"
    assert css.data == resources.files("kuza_xblocks.markdown").joinpath("public/markdown.css").read_text()
    assert not [r for r in fragment.resources if r.mimetype == "application/javascript"]
    assert fragment.js_init_fn is None


def test_css_is_small_and_uses_logical_properties():
    css = stylesheet()
    assert len(css.encode()) < 2048
    # Physical sides would be wrong on right-to-left pages.
    assert not re.search(r"(margin|padding|border)-(left|right)|\b(left|right)\s*:|float\s*:", css)


def test_ids_differ_between_two_lessons_on_one_page(make_block):
    first = make_block(markdown="A[^1]\n\n[^1]: a").student_view({}).content
    second = make_block(markdown="B[^1]\n\n[^1]: b").student_view({}).content
    first_ids = set(re.findall(r'id="([^"]+)"', first))
    second_ids = set(re.findall(r'id="([^"]+)"', second))
    assert len(first_ids) == 2 and len(second_ids) == 2
    assert not first_ids & second_ids


def test_the_same_block_keeps_its_ids_between_renders(make_block):
    block = make_block(markdown="A[^1]\n\n[^1]: a")
    assert block.student_view({}).content == block.student_view({}).content


@pytest.mark.parametrize("markdown", ["", "   \n\t\n"])
def test_an_empty_lesson_says_so(make_block, markdown):
    html = make_block(markdown=markdown).student_view({}).content
    assert '<p class="kuza-markdown-empty">This lesson has no content yet.</p>' in html


def test_student_view_speaks_french_when_the_i18n_service_does(make_block, french_runtime):
    empty = make_block(on_runtime=french_runtime).student_view({}).content
    assert "Cette leçon n&#39;a pas encore de contenu." in empty
    html = make_block(on_runtime=french_runtime, markdown=LESSON).student_view({}).content
    assert 'aria-label="Tableau défilant"' in html
    assert 'title="Revenir à l\'appel de la note 1 dans le texte"' in html


def test_the_workbench_runtime_renders_the_block_wrapped(runtime, make_block):
    fragment = runtime.render(make_block(markdown=LESSON), "student_view", {})
    assert "data-block-type='kuza_markdown'" in fragment.content
    assert "<h1>Why innovate?</h1>" in fragment.content


def test_public_view_shows_the_lesson_to_visitors(make_block):
    block = make_block(markdown=LESSON)
    assert block.public_view({}).content == block.student_view({}).content


def test_index_dictionary_gives_search_the_name_and_words(make_block):
    block = make_block(display_name="Why innovate?", markdown="# Why\n\nSave **time** & money.")
    assert block.index_dictionary() == {
        "content": {"display_name": "Why innovate?", "text": "Why Save time & money."},
        "content_type": "Text",
    }


def test_studio_view_edits_the_name_and_the_markdown(make_block):
    block = make_block(display_name="Why innovate?", markdown="# Title\n\n<b>bold</b> & more")
    fragment = block.studio_view({})
    html = fragment.content
    assert fragment.js_init_fn == "StudioEditableXBlockMixin"
    assert 'data-field-name="display_name"' in html
    assert 'data-field-name="markdown"' in html
    assert re.search(r'<textarea[^>]*id="xb-field-edit-markdown"', html)
    assert 'value="Why innovate?"' in html
    # The Markdown is shown as text in the editor, never as markup.
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html
    assert "<b>bold</b>" not in html
    assert "Display name" in html and "Markdown" in html


def test_studio_view_labels_are_translated(make_block, french_runtime):
    html = make_block(on_runtime=french_runtime).studio_view({}).content
    assert "Nom affiché" in html
    assert "tel que les apprenants le voient" in html


def test_studio_save_handler_updates_the_fields(make_block):
    block = make_block(display_name="Old", markdown="old")
    request = Request.blank("/", method="POST")
    request.body = json.dumps(
        {"values": {"display_name": "Nouveau nom", "markdown": "# Nouveau\n\nTexte."}, "defaults": []}
    ).encode()
    response = block.handle("submit_studio_edits", request)
    assert response.status_code == 200
    assert json.loads(response.body) == {"result": "success"}
    assert block.display_name == "Nouveau nom"
    assert "<h1>Nouveau</h1>" in block.student_view({}).content


def test_studio_save_handler_resets_a_field_to_its_default(make_block):
    block = make_block(display_name="Old")
    request = Request.blank("/", method="POST")
    request.body = json.dumps({"values": {}, "defaults": ["display_name"]}).encode()
    assert block.handle("submit_studio_edits", request).status_code == 200
    assert block.display_name == "Lesson"
    assert not MarkdownBlock.display_name.is_set_on(block)


def test_workbench_scenarios_cover_the_cases_worth_seeing():
    titles = [title for title, _ in MarkdownBlock.workbench_scenarios()]
    assert len(titles) == len(set(titles)) >= 4
    joined = " ".join(olx for _, olx in WORKBENCH_SCENARIOS)
    assert "| Country" in joined and "[^source]" in joined and "```python" in joined
    assert "&lt;script&gt;" in joined and "javascript:alert" in joined and "&lt;iframe" in joined
    assert "onerror=" in joined and "Pourquoi innover" in joined


def test_every_scenario_loads_through_the_runtime_and_renders(runtime):
    for title, olx in MarkdownBlock.workbench_scenarios():
        runtime.id_generator.set_scenario(title)
        block = runtime.get_block(runtime.parse_xml_string(olx))
        html = block.student_view({}).content
        assert isinstance(block, MarkdownBlock), title
        assert 'class="kuza-markdown"' in html, title
        assert "<script" not in html and "<iframe" not in html and "onerror" not in html, title
