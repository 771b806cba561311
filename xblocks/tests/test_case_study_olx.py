"""Tests for the kuza_case_study OLX: reading into fields, exact round trips, and every refusal with its line."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xblock.core import XBlockMixin
from xblock.fields import Boolean, Scope
from xblock.runtime import Mixologist

from kuza_xblocks.case_study.block import CaseStudyBlock
from kuza_xblocks.case_study.scenarios import E_MUTATION, OUTPUT_BASED_AID, WORKBENCH_SCENARIOS
from kuza_xblocks.errors import OLXError

MINIMAL = """\
<kuza_case_study url_name="x" display_name="Output-Based Aid" country="KE" xblock-family="xblock.v1">
  <sources>
    <source title="Output-based Aid Programme" url="https://publicadministration.un.org/unpsa/database/Winners/2021-winners/output-based_aid"/>
  </sources>
</kuza_case_study>
"""

# Characters an XML file can carry, for generated texts.
XML_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\ufffe\uffff",
                           min_codepoint=0x09).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20),
    max_size=120,
)


def parse(olx, runtime, new_keys, block_class=CaseStudyBlock):
    node = etree.fromstring(olx.encode() if isinstance(olx, str) else olx)
    return block_class.parse_xml(node, runtime, new_keys(runtime, "kuza_case_study"))


def serialise(block, url_name="x"):
    node = etree.Element("unknown")
    node.set("url_name", url_name)  # the host names the block before the block writes itself
    block.add_xml_to_node(node)
    return etree.tostring(node, encoding="unicode") + "\n"


@pytest.mark.parametrize(("title", "olx"), WORKBENCH_SCENARIOS, ids=[title for title, _ in WORKBENCH_SCENARIOS])
def test_every_scenario_round_trips_exactly(runtime, new_keys, title, olx):
    block = parse(olx, runtime, new_keys)
    assert serialise(block, etree.fromstring(olx.encode()).get("url_name")) == olx


def test_facts_attributes_award_and_sources_are_read_into_their_fields(runtime, new_keys):
    block = parse(E_MUTATION, runtime, new_keys)
    assert (block.display_name, block.institution, block.country) == (
        "e-Mutation: land records changed online", "Ministry of Land", "BD")
    assert (block.region, block.level, block.year, block.sdgs) == ("asia_pacific", "national", 2017, [16])
    assert (block.award, block.award_category, block.award_year) == (
        "UN Public Service Awards", "Developing transparent and accountable public institutions", 2020)
    assert block.problem.startswith("Land administration ran on manual record keeping")
    assert block.problem.endswith("in the paper system [3].")  # the closing tag's indentation is not text
    assert block.transfer_conditions.startswith("- Land records")
    assert len(block.sources) == 7
    assert block.sources[0] == {
        "title": "UNPSA application (case details): e-Mutation, Ministry of Land, Bangladesh",
        "publisher": "UN DESA, UNPSA database",
        "year": None,
        "url": "https://publicadministration.un.org/unpsa/en/Home/Case-Details-Public"
               "?PreScreeningGUID=287f1857-ca5d-435f-924f-18fe04eb41de&ReadOnly=Yes",
    }
    assert block.sources[1]["year"] == 2021


def test_a_minimal_case_round_trips_and_leaves_the_rest_unset(runtime, new_keys):
    block = parse(MINIMAL, runtime, new_keys)
    assert serialise(block) == MINIMAL
    set_fields = {name for name, field in block.fields.items() if field.is_set_on(block)}
    assert set_fields == {"display_name", "country", "sources"}


def test_parts_may_come_in_any_order_and_are_written_in_reading_order(runtime, new_keys):
    olx = MINIMAL.replace("  <sources>", "  <results>R</results>\n  <problem>P</problem>\n  <sources>")
    written = serialise(parse(olx, runtime, new_keys))
    assert written.index("<problem>P</problem>") < written.index("<results>R</results>") < written.index("<sources>")


@pytest.mark.parametrize(("written", "stored"), [("bd", "BD"), ("BGD", "BGD"), ("bgd", "BGD"), (" SN ", "SN")])
def test_country_codes_are_stored_in_capitals_as_written(runtime, new_keys, written, stored):
    block = parse(MINIMAL.replace('country="KE"', f'country="{written}"'), runtime, new_keys)
    assert block.country == stored


def test_sdgs_keep_the_authors_order(runtime, new_keys):
    block = parse(MINIMAL.replace('country="KE"', 'country="KE" sdgs=" 6  5 "'), runtime, new_keys)
    assert block.sdgs == [6, 5]
    assert 'sdgs="6 5"' in serialise(block)


def test_a_case_built_in_studio_is_written_with_its_default_title(runtime, new_keys):
    block = runtime.construct_xblock_from_class(CaseStudyBlock, new_keys(runtime, "kuza_case_study"))
    block.country = "KE"
    block.sources = [{"title": "T", "publisher": "", "year": None, "url": "https://example.org/"}]
    written = serialise(block)
    assert written.startswith('<kuza_case_study url_name="x" display_name="Case study" country="KE"')
    assert parse(written, runtime, new_keys).display_name == "Case study"


def test_markup_in_the_story_is_escaped_text_and_reads_back(runtime, new_keys):
    block = parse(MINIMAL, runtime, new_keys)
    block.problem = 'Brokers <b>and</b> & "fees"\n\n    indented code\n'
    block.display_name = 'Ideas "that" <work> & العربية'
    written = serialise(block)
    assert "Brokers &lt;b&gt;and&lt;/b&gt; &amp;" in written and "<![CDATA[" not in written
    again = parse(written, runtime, new_keys)
    assert (again.problem, again.display_name) == (block.problem, block.display_name)
    assert serialise(again) == written


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(story=XML_TEXT, title=XML_TEXT.filter(str.strip), publisher=XML_TEXT)
def test_any_text_round_trips_exactly(runtime, new_keys, story, title, publisher):
    block = parse(MINIMAL, runtime, new_keys)
    block.results = story
    block.display_name = title
    block.sources = [{"title": title, "publisher": publisher, "year": 2021, "url": "https://example.org/a?b=1&c=2"}]
    again = parse(serialise(block), runtime, new_keys)
    assert (again.results, again.display_name, again.sources) == (story, title, block.sources)


class OpenEdxLikeMixin(XBlockMixin):
    """A setting an Open edX runtime mixes into every block."""

    visible_to_staff_only = Boolean(scope=Scope.settings, default=False)


def test_settings_mixed_in_by_the_host_are_accepted_and_written_back(runtime, new_keys):
    mixed = Mixologist([OpenEdxLikeMixin]).mix(CaseStudyBlock)
    olx = MINIMAL.replace('country="KE"', 'country="KE" visible_to_staff_only="true"')
    block = parse(olx, runtime, new_keys, block_class=mixed)
    assert block.visible_to_staff_only is True
    assert serialise(block) == olx


def line_of(olx, marker):
    """The line of ``olx`` where ``marker`` is (1-based), as a parser counts it."""
    return olx[: olx.index(marker)].count("\n") + 1


def change(old, new, *, olx=E_MUTATION):
    assert old in olx, old
    return olx.replace(old, new, 1)


ROOT = '<kuza_case_study url_name="bd-e-mutation"'
FIRST_SOURCE = '<source title="UNPSA application'
SOURCES_START = E_MUTATION.index("  <sources>")
SOURCES_END = E_MUTATION.index("</sources>") + len("</sources>\n")

REFUSED = [
    # The brief's six: no title, a source without url (or not http), no source, unknown country,
    # unknown goal, bad year.
    ("no title", change(' display_name="e-Mutation: land records changed online"', ""), ROOT,
     'it has no title: give the case its title in display_name="...".'),
    ("blank title", change('display_name="e-Mutation: land records changed online"', 'display_name="  "'), ROOT,
     "it has no title"),
    ("source without url", change(
        ' url="https://publicadministration.un.org/unpsa/en/Home/Case-Details-Public?PreScreeningGUID='
        '287f1857-ca5d-435f-924f-18fe04eb41de&amp;ReadOnly=Yes"', ""), FIRST_SOURCE,
     '<source> has no url: give the address where readers can check it, url="https://...".'),
    ("ftp url", change('url="https://bangladeshpost.net/', 'url="ftp://bangladeshpost.net/'),
     '<source title="4.1m', '<source> url "ftp://bangladeshpost.net/posts/4-1m-e-mutation-applications-disposed-of-so-far'
     '-75490" is not a web address: use an http:// or https:// address.'),
    ("javascript url", change('url="https://bangladeshpost.net/posts/4-1m-e-mutation-applications-disposed-of-so-far-75490"',
                              'url="javascript:alert(1)"'), '<source title="4.1m', "is not a web address"),
    ("url without host", change('url="https://bangladeshpost.net/', 'url="https:///'), '<source title="4.1m',
     "is not a web address"),
    ("url with a space", change('url="https://bangladeshpost.net/', 'url="https://bangladesh post.net/'),
     '<source title="4.1m', "holds spaces or control characters"),
    ("no sources", E_MUTATION[:SOURCES_START] + E_MUTATION[SOURCES_END:], ROOT,
     'it has no sources: add <sources> with at least one <source title="..." url="..."/>.'),
    ("empty sources", E_MUTATION[:SOURCES_START] + "  <sources/>\n" + E_MUTATION[SOURCES_END:], "<sources/>",
     '<sources> holds no <source/>: add at least one <source title="..." url="..."/>.'),
    ("unknown country", change('country="BD"', 'country="XK"'), ROOT,
     'country "XK" is not an ISO 3166-1 country code; write the two-letter (SN) or three-letter (SEN) code of the country.'),
    ("country name", change('country="BD"', 'country="Bangladesh"'), ROOT, 'country "Bangladesh" is not an ISO 3166-1'),
    ("no country", change(' country="BD"', ""), ROOT, 'it has no country: give its ISO 3166-1 code'),
    ("unknown goal", change('sdgs="16"', 'sdgs="16 18"'), ROOT,
     'sdgs "18" is not a Sustainable Development Goal; the goals are numbered 1 to 17.'),
    ("goal zero", change('sdgs="16"', 'sdgs="0"'), ROOT, 'sdgs "0" is not a Sustainable Development Goal'),
    ("goal not a number", change('sdgs="16"', 'sdgs="16,5"'), ROOT, 'sdgs "16,5" is not a Sustainable Development Goal'),
    ("goal twice", change('sdgs="16"', 'sdgs="16 5 16"'), ROOT, "sdgs lists 16 twice."),
    ("two-digit year", change('year="2017"', 'year="17"'), ROOT,
     'year "17" is not a year: write it in four digits, such as year="2014".'),
    ("year in words", change('year="2017"', 'year="twenty"'), ROOT, 'year "twenty" is not a year'),
    ("year out of range", change('year="2017"', 'year="1850"'), ROOT,
     "year 1850 is out of range: give a year from 1900 to 2100."),
    ("award year", change('year="2020"/>', 'year="20x0"/>'), "<award ",
     '<award> year "20x0" is not a year: write it in four digits, such as year="2014".'),
    ("award before the practice", change('year="2020"/>', 'year="2016"/>'), "<award ",
     "the award's year 2016 is before the case's year 2017."),
    ("source year", change('year="2021" url="https://bangladeshpost', 'year="c. 2021" url="https://bangladeshpost'),
     '<source title="4.1m', '<source> year "c. 2021" is not a year'),
    ("award without a name", change('name="UN Public Service Awards" ', ""), "<award ",
     '<award> has no name: name the award, such as name="UN Public Service Awards".'),
    ("unknown region", change('region="asia_pacific"', 'region="asia"'), ROOT,
     'region "asia" is not a UN regional group; use one of african, asia_pacific, eastern_european, '
     "latin_american_caribbean, western_european_others."),
    ("unknown level", change('level="national"', 'level="federal"'), ROOT,
     'level "federal" is not a level of government; use one of national, sub_national, local, other.'),
    ("unknown attribute", change('year="2017"', 'year="2017" summary="x"'), ROOT,
     '<kuza_case_study> has an unknown attribute "summary"; it accepts country, display_name, institution, '
     "level, name, region, sdgs, tags, year, url_name and xblock-family."),
    ("story as an attribute", change('year="2017"', 'year="2017" problem="x"'), ROOT,
     'unknown attribute "problem"; it accepts country, display_name, institution, level, name, region, sdgs, tags, '
     "year, url_name and xblock-family. It is written as the element <problem>."),
    ("unknown source attribute", change('publisher="Bangladesh Post"', 'author="Bangladesh Post"'), '<source title="4.1m',
     '<source> has an unknown attribute "author"; it accepts title, publisher, year, url.'),
    ("source without title", change('title="4.1m e-mutation applications disposed of so far" ', ""),
     '<source publisher="Bangladesh Post"', '<source> has no title'),
    ("unknown element", change("  <partners>", "  <lessons>Keep it simple.</lessons>\n  <partners>"), "<lessons>",
     "<kuza_case_study> cannot contain <lessons>; it holds <award>, <problem>, <innovation>, <beneficiaries>, "
     "<results>, <partners>, <success_factors>, <transfer_conditions> and <sources>."),
    ("two results", change("  <partners>", "  <results>Again.</results>\n  <partners>"), "<results>Again",
     f"<kuza_case_study> has more than one <results>; the first is on line {line_of(E_MUTATION, '<results>')}."),
    ("markup in the story", change("brokers stood", "<b>brokers</b> stood"), "<b>brokers",
     "<problem> must contain only text, but it contains the element <b>."),
    ("text outside", change('xblock-family="xblock.v1">\n', 'xblock-family="xblock.v1">\nStray words\n'), ROOT,
     "<kuza_case_study> holds text outside its elements"),
    ("other element in sources", change(FIRST_SOURCE, "<link/>\n    " + FIRST_SOURCE), "<link/>",
     "<sources> cannot contain <link>; it holds <source/> elements."),
    ("text in a source", change(' url="https://www.observerbd.com/news.php?id=259031"/>',
                                ' url="https://www.observerbd.com/news.php?id=259031">Observer</source>'),
     '<source title="Bangladesh land', "<source/> holds only attributes"),
]


@pytest.mark.parametrize(("olx", "marker", "reason"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_bad_olx_is_refused_with_the_line_and_reason(runtime, new_keys, olx, marker, reason):
    with pytest.raises(OLXError) as refused:
        parse(olx, runtime, new_keys)
    assert reason in refused.value.message
    assert refused.value.message.endswith(".")
    assert refused.value.line == line_of(olx, marker)


def test_the_other_scenario_is_refused_too_when_its_only_source_loses_its_url(runtime, new_keys):
    olx = change('url="https://www.centreforpublicimpact.org/case-study/the-water-services-trust-fund-in-kenya"',
                 'url=""', olx=OUTPUT_BASED_AID)
    with pytest.raises(OLXError, match="has no url") as refused:
        parse(olx, runtime, new_keys)
    assert refused.value.line == line_of(olx, '<source title="The Water Services Trust Fund')
