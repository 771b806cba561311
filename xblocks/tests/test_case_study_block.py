"""Tests for the kuza_case_study block on xblock-sdk's workbench runtime: its page in several languages, completion, editor."""

import re
from importlib import resources

import pytest
from lxml import etree
from webob import Request
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Scope

from kuza_xblocks.case_study.block import CaseStudyBlock, stylesheet
from kuza_xblocks.case_study.scenarios import E_MREJESHO, E_MUTATION, OUTPUT_BASED_AID
from kuza_xblocks.markdown.block import stylesheet as lesson_stylesheet


def load(olx, runtime, new_keys):
    return CaseStudyBlock.parse_xml(etree.fromstring(olx.encode()), runtime, new_keys(runtime, "kuza_case_study"))


def page(olx, runtime, new_keys):
    return load(olx, runtime, new_keys).student_view({}).content


def text_of(html):
    """The words of ``html`` as a reader gets them (no-break spaces kept)."""
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def test_block_is_registered_as_kuza_case_study():
    assert XBlock.load_class("kuza_case_study") is CaseStudyBlock


def test_facts_and_story_are_content_and_the_title_a_setting():
    assert CaseStudyBlock.display_name.scope == Scope.settings
    for name in ("institution", "country", "region", "level", "year", "sdgs", "award", "award_category",
                 "award_year", "problem", "innovation", "beneficiaries", "results", "partners", "success_factors",
                 "transfer_conditions", "sources"):
        assert CaseStudyBlock.fields[name].scope == Scope.content, name


def test_reading_is_completable_on_view_and_never_scored():
    assert CaseStudyBlock.has_score is False
    assert CaseStudyBlock.completion_mode == XBlockCompletionMode.COMPLETABLE
    assert CaseStudyBlock.has_custom_completion is False


def test_viewing_publishes_nothing_itself_so_the_host_completes_it_on_view(runtime, new_keys, monkeypatch):
    # Open edX and Kuza mark a completable block without custom completion complete when it
    # is viewed; a block that published its own completion would be counted twice.
    published = []
    monkeypatch.setattr(runtime, "publish", lambda block, kind, data: published.append(kind))
    load(E_MUTATION, runtime, new_keys).student_view({})
    assert published == []


def test_header_shows_title_institution_country_year_and_award(runtime, new_keys):
    html = page(E_MUTATION, runtime, new_keys)
    header = html[html.index("<header"):html.index("</header>")]
    assert '<h2 class="kuza-case-title" id="' in header and 'dir="auto">e-Mutation: land records changed online</h2>' in header
    # Course text in the course's language; the country's name and "Since" in the reader's.
    assert ('<p class="kuza-case-meta"><span><bdi>Ministry of Land</bdi></span><span class="kuza-case-nowrap"><bdi lang="en-us">Bangladesh</bdi>'
            '</span><span class="kuza-case-nowrap"><bdi lang="en-us">Since 2017</bdi></span></p>') in header
    # The badge says what it is to screen readers too.
    assert text_of(header[header.index('<p class="kuza-case-award">'):]) == "Award: UN Public Service Awards 2020"


def test_facts_are_a_definition_list_in_the_readers_words(runtime, new_keys):
    html = page(E_MUTATION, runtime, new_keys)
    facts = html[html.index('<dl class="kuza-case-facts">'):html.index("</dl>")]
    pairs = re.findall(r"<dt[^>]*>([^<]+)</dt>\s*<dd[^>]*>([^<]+)</dd>", facts)
    assert pairs == [
        ("Region", "Asia-Pacific Group"),
        ("Level of government", "National"),
        ("Award category", "Developing transparent and accountable public institutions"),
        ("Sustainable Development Goals", "SDG 16: Peace, justice and strong institutions"),
    ]


def test_every_goal_is_listed_with_its_short_name(runtime, new_keys):
    block = load(E_MUTATION, runtime, new_keys)
    block.sdgs = [5, 16, 1]
    goals = re.findall(r"<dd[^>]*>(SDG [^<]+)</dd>", block.student_view({}).content)
    assert goals == ["SDG 5: Gender equality", "SDG 16: Peace, justice and strong institutions", "SDG 1: No poverty"]


def test_story_sections_come_in_reading_order_under_their_headings(runtime, new_keys):
    html = page(E_MUTATION, runtime, new_keys)
    headings = re.findall(r"<h3 id=\"[^\"]+\"[^>]*>([^<]+)</h3>", html)
    assert headings == ["The problem", "The innovation", "Who benefits", "Results and evidence", "Partners",
                        "What made it work", "Conditions for transfer", "Sources"]
    assert "<strong>mutation</strong>" in html and "<em>khatiyan</em>" in html
    # The results table scrolls sideways in its own box on a narrow phone, as in a lesson.
    assert '<div aria-label="Scrollable table" class="kuza-markdown-table" role="region" tabindex="0"><table>' in html


def test_sections_the_author_left_out_are_not_shown(runtime, new_keys):
    html = page(OUTPUT_BASED_AID, runtime, new_keys)
    headings = re.findall(r"<h3 id=\"[^\"]+\"[^>]*>([^<]+)</h3>", html)
    assert headings == ["The problem", "The innovation", "Who benefits", "Results and evidence", "Partners", "Sources"]
    assert "Since" not in html  # no start year given
    minimal = page(E_MREJESHO, runtime, new_keys)
    assert "Award category" not in minimal and "Sustainable Development Goals" not in minimal


def test_sources_are_a_numbered_list_of_links_with_their_site(runtime, new_keys):
    html = page(E_MUTATION, runtime, new_keys)
    sources = html[html.index('<ol class="kuza-case-sources">'):html.index("</ol>")]
    items = re.findall(r"<li id=\"[^\"]+source-(\d+)\">(.*?)</li>", sources, re.S)
    assert [number for number, _ in items] == [str(n) for n in range(1, 8)]
    first = items[0][1]
    assert ('<a href="https://publicadministration.un.org/unpsa/en/Home/Case-Details-Public?PreScreeningGUID='
            '287f1857-ca5d-435f-924f-18fe04eb41de&amp;ReadOnly=Yes" rel="noopener noreferrer" dir="auto">'
            "UNPSA application (case details): e-Mutation, Ministry of Land, Bangladesh</a>") in first
    assert text_of(first).endswith("UN DESA, UNPSA database (publicadministration.un.org)")
    assert text_of(items[1][1]) == (
        "4.1m e-mutation applications disposed of so far, Bangladesh Post, 2021 (bangladeshpost.net)"
    )
    assert text_of(items[3][1]).endswith("The Business Standard, 2021 (tbsnews.net)")


def test_story_is_sanitised_exactly_as_a_lesson_is(runtime, new_keys):
    block = load(E_MUTATION, runtime, new_keys)
    block.problem = 'Brokers <script>alert(1)</script> [a link](javascript:alert(2)) <img src="https://t.example/p.gif" onerror="x()"> & more'
    html = block.student_view({}).content
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "t.example" not in html
    assert "Brokers" in html and "a link" in html and "&amp; more" in html


def test_course_text_is_escaped_everywhere(runtime, new_keys):
    block = load(E_MUTATION, runtime, new_keys)
    block.display_name = 'Title <b>"bold"</b>'
    block.institution = "Ministry <i>of</i> Land & Co"
    block.sources = [{"title": "<script>x</script>", "publisher": "A & B", "year": None,
                      "url": 'https://example.org/?a=1&b="2"'}]
    html = block.student_view({}).content
    assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    assert "Title &lt;b&gt;&#34;bold&#34;&lt;/b&gt;" in html and "Ministry &lt;i&gt;of&lt;/i&gt; Land &amp; Co" in html
    assert 'href="https://example.org/?a=1&amp;b=&#34;2&#34;"' in html


def test_ids_differ_between_two_cases_on_one_page(runtime, new_keys):
    first = set(re.findall(r'id="([^"]+)"', page(E_MUTATION, runtime, new_keys)))
    second = set(re.findall(r'id="([^"]+)"', page(E_MUTATION, runtime, new_keys)))
    assert len(first) > 10 and not first & second


def test_labels_follow_the_page_and_course_text_its_own_direction(runtime, new_keys):
    html = page(E_MUTATION, runtime, new_keys)
    assert html.startswith('<article class="kuza-case" id="')
    assert "dir=" not in html[: html.index(">")]
    # The host puts blocks in the course's language and direction: the block's own words
    # carry the reader's, course text its own.
    assert '<dd dir="auto">Developing transparent' in html and '<dd lang="en-us" dir="auto">National</dd>' in html
    assert '<h3 id="' in html and '" lang="en-us" dir="auto">The problem</h3>' in html
    assert html.count('<div class="kuza-markdown" dir="auto">') == 7


def test_student_view_adds_its_css_and_the_lessons_inline_and_no_javascript(runtime, new_keys):
    fragment = load(E_MUTATION, runtime, new_keys).student_view({})
    css = [r for r in fragment.resources if r.mimetype == "text/css"]
    assert [r.kind for r in css] == ["text", "text"]
    assert [r.data for r in css] == [lesson_stylesheet(), stylesheet()]
    assert stylesheet() == resources.files("kuza_xblocks.case_study").joinpath("public/case_study.css").read_text()
    assert not [r for r in fragment.resources if r.mimetype == "application/javascript"]
    assert fragment.js_init_fn is None


def test_css_is_small_and_uses_logical_properties():
    css = stylesheet()
    assert len(css.encode()) < 2048
    assert not re.search(r"(margin|padding|border)-(left|right)|\b(left|right)\s*:|float\s*:|text-align:\s*(left|right)", css)


def test_page_speaks_french_with_the_country_named_in_french(runtime_in, new_keys):
    french = runtime_in("fr")
    html = page(E_MREJESHO, french, new_keys)
    header = html[: html.index("</header>")]
    assert '<span><bdi>e-Government Authority (e-GA)</bdi></span><span class="kuza-case-nowrap"><bdi lang="fr">Tanzanie</bdi></span></p>' in header
    assert text_of(header[header.index('<p class="kuza-case-award">'):]) == "Prix\u00a0: UN Public Service Awards 2024"
    assert '<dt lang="fr" dir="auto">Région</dt>' in html and '<dd lang="fr" dir="auto">Groupe des États d’Afrique</dd>' in html
    assert '<dt lang="fr" dir="auto">Niveau d’administration</dt>' in html and '<dd lang="fr" dir="auto">National</dd>' in html
    assert ">L’innovation</h3>" in html and ">Résultats et preuves</h3>" in html and ">Sources</h3>" in html
    # Course text stays as written.
    assert "A platform that gathers citizens' complaints" in html


def test_french_goals_and_since(runtime_in, new_keys):
    html = page(E_MUTATION, runtime_in("fr"), new_keys)
    assert '<span class="kuza-case-nowrap"><bdi lang="fr">Bangladesh</bdi></span><span class="kuza-case-nowrap"><bdi lang="fr">Depuis 2017</bdi></span>' in html
    assert '<dt lang="fr" dir="auto">Objectifs de développement durable</dt>' in html
    assert '<dd lang="fr" dir="auto">ODD 16\u00a0: Paix, justice et institutions efficaces</dd>' in html
    assert ">Les clés du succès</h3>" in html and ">Conditions du transfert</h3>" in html


@pytest.mark.parametrize(("language", "country", "goal", "region"), [
    ("pt", "Bangladeche", "ODS 16: Paz, justiça e instituições eficazes", "Grupo Ásia-Pacífico"),
    ("ar", "بنغلادش", "الهدف 16: السلام والعدل والمؤسسات القوية", "مجموعة دول آسيا والمحيط الهادئ"),
    # Regional tags, as Open edX passes them, fall back to the language.
    ("pt_MZ", "Bangladeche", "ODS 16: Paz, justiça e instituições eficazes", "Grupo Ásia-Pacífico"),
])
def test_portuguese_and_arabic_pages(runtime_in, new_keys, language, country, goal, region):
    html = page(E_MUTATION, runtime_in(language), new_keys)
    tag = language.split("_")[0]  # the language of the catalogue that was found
    assert f'<bdi lang="{tag}">{country}</bdi></span>' in html
    assert f'<dd lang="{tag}" dir="auto">{goal}</dd>' in html and f'<dd lang="{tag}" dir="auto">{region}</dd>' in html


def test_a_reader_without_a_catalogue_reads_english(runtime, new_keys):
    html = page(E_MREJESHO, runtime, new_keys)  # the workbench's own i18n service: no catalogue
    assert '<bdi lang="en-us">Tanzania</bdi>' in html and '<dt lang="en-us" dir="auto">Region</dt>' in html


def test_the_workbench_runtime_renders_the_block_wrapped(runtime, new_keys):
    fragment = runtime.render(load(E_MUTATION, runtime, new_keys), "student_view", {})
    assert "data-block-type='kuza_case_study'" in fragment.content


def test_public_view_shows_the_case_to_visitors(runtime, new_keys):
    block = load(E_MUTATION, runtime, new_keys)
    assert block.public_view({}).content == block.student_view({}).content


def test_index_dictionary_gives_search_the_name_and_words(runtime, new_keys):
    index = load(OUTPUT_BASED_AID, runtime, new_keys).index_dictionary()
    assert index["content"]["display_name"] == "Output-Based Aid: water and sanitation for low-income areas"
    assert index["content"]["text"].startswith("Water Sector Trust Fund Low-income households")
    assert "120,500 residents" in index["content"]["text"] and "**" not in index["content"]["text"]
    assert index["content_type"] == "Text"


def test_facts_method_gives_the_library_its_plain_dict(runtime, new_keys):
    facts = load(E_MREJESHO, runtime, new_keys).facts()
    assert facts["country"] == "TZ" and facts["award_year"] == 2024 and facts["year"] is None
    assert facts["summary"].startswith("A platform that gathers citizens' complaints")


def test_studio_view_edits_every_field_with_selects_for_the_closed_lists(runtime, new_keys):
    html = load(E_MUTATION, runtime, new_keys).studio_view({}).content
    for name in CaseStudyBlock.editable_fields:
        assert f'data-field-name="{name}"' in html, name
    region = html[html.index('id="xb-field-edit-region"'):]
    region = region[: region.index("</select>")]
    assert re.findall(r'<option value="([^"]*)"', region) == [
        "", "african", "asia_pacific", "eastern_european", "latin_american_caribbean", "western_european_others"
    ]
    assert re.search(r'<option value="asia_pacific"\s+selected', region)
    assert "SDG 17: Partnerships for the goals" in html
    # One checkbox per goal, the case's own ticked.
    assert len(re.findall(r'id="xb-field-edit-sdgs-\d+"', html)) == 17
    assert re.findall(r'id="xb-field-edit-sdgs-(\d+)"[^>]*?checked', html, re.S) == ["16"]
    assert re.search(r'<textarea[^>]*id="xb-field-edit-results"', html)


def test_studio_view_labels_are_translated(runtime_in, new_keys):
    html = load(E_MUTATION, runtime_in("fr"), new_keys).studio_view({}).content
    assert "Titre" in html and "Niveau d’administration" in html and "Non précisé" in html
    assert "ODD 5\u00a0: Égalité entre les sexes" in html


def test_studio_save_refuses_a_case_without_sources_or_with_an_unknown_country(runtime, new_keys):
    block = load(E_MUTATION, runtime, new_keys)
    request = Request.blank("/", method="POST", body=b'{"values": {"country": "XX", "sources": []}, "defaults": []}')
    answer = block.submit_studio_edits(request)
    assert answer.status_code == 400
    body = answer.json["error"]["messages"]
    assert any('country "XX" is not an ISO 3166-1 country code' in message["text"] for message in body)
    assert any("it has no sources" in message["text"] for message in body)
    assert block.country == "BD" and len(block.sources) == 7


def test_studio_save_updates_the_fields(runtime, new_keys):
    block = load(E_MUTATION, runtime, new_keys)
    request = Request.blank("/", method="POST", body=b'{"values": {"country": "BGD", "sdgs": [16, 5], "year": 2017}, "defaults": []}')
    assert block.submit_studio_edits(request).status_code == 200
    assert (block.country, block.sdgs) == ("BGD", [16, 5])


def test_the_readers_language_comes_from_the_hosts_catalogue_or_django(runtime_in, new_keys):
    # Kuza, Open edX with the bundled catalogue and these tests hand the block a catalogue whose
    # header names its language; Open edX without one hands it Django's translation module.
    from django.utils import translation

    from kuza_xblocks.case_study.view import reader_language

    for language, expected in (("ar", "ar"), ("pt_MZ", "pt")):
        block = load(E_MUTATION, runtime_in(language), new_keys)
        assert reader_language(block.runtime.service(block, "i18n")) == expected
    with translation.override("fr"):
        assert reader_language(translation) == "fr"
    with translation.override("pt-br"):
        assert reader_language(translation) == "pt_br"
