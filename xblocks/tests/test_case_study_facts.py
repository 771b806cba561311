"""Tests for case_facts: a case's facts as a plain dict from stored fields, with no block or runtime."""

import subprocess
import sys

from kuza_xblocks.case_study import case_facts
from kuza_xblocks.case_study.facts import SUMMARY_LENGTH, summary

# Fields as a host stores them (JSON values), set by an import of the e-Mutation case.
STORED = {
    "display_name": "e-Mutation: land records changed online",
    "institution": "Ministry of Land",
    "country": "BGD",
    "region": "asia_pacific",
    "level": "national",
    "year": 2017,
    "sdgs": [16, 5],
    "award": "UN Public Service Awards",
    "award_category": "Developing transparent and accountable public institutions",
    "award_year": 2020,
    "problem": "Land administration ran on manual record keeping [5].",
    "innovation": "Citizens apply online for **mutation**: the change of owner in the record of rights "
                  "(*khatiyan*) when land changes hands [1]. They need fewer visits.",
    "sources": [{"title": "T", "publisher": "", "year": None, "url": "https://example.org/"}],
}


def test_facts_of_a_stored_case():
    assert case_facts(STORED) == {
        "title": "e-Mutation: land records changed online",
        "institution": "Ministry of Land",
        "country": "BD",
        "region": "asia_pacific",
        "level": "national",
        "year": 2017,
        "award": "UN Public Service Awards",
        "category": "Developing transparent and accountable public institutions",
        "award_year": 2020,
        "sdgs": [5, 16],
        "summary": "Citizens apply online for mutation: the change of owner in the record of rights (khatiyan) "
                   "when land changes hands.",
    }


def test_fields_left_at_their_default_give_empty_facts():
    assert case_facts({}) == {
        "title": "Case study", "institution": "", "country": "", "region": "", "level": "", "year": None,
        "award": "", "category": "", "award_year": None, "sdgs": [], "summary": "",
    }


def test_the_summary_falls_back_to_the_problem():
    assert case_facts({**STORED, "innovation": "  "})["summary"] == "Land administration ran on manual record keeping."


def test_a_long_first_sentence_is_cut_at_a_word():
    text = "The ministry " + "carefully " * 60 + "did it."
    cut = summary(text)
    assert len(cut) <= SUMMARY_LENGTH and cut.endswith("carefully…")


def test_the_summary_leaves_out_citation_numbers():
    assert summary("Wait times fell by half [2, 5], and complaints too [3]. More [4].") == (
        "Wait times fell by half, and complaints too.")


def test_abbreviations_do_not_end_the_first_sentence():
    assert summary("Services, e.g. land records, moved online. Then more.") == "Services, e.g. land records, moved online."
    assert summary("لماذا نبتكر؟ لأن الخدمة أبطأ.") == "لماذا نبتكر؟"


def test_values_of_the_wrong_type_are_not_facts():
    facts = case_facts({"country": "XX", "year": "2017", "award_year": True, "sdgs": [3, "4", None]})
    assert (facts["country"], facts["year"], facts["award_year"], facts["sdgs"]) == ("", None, None, [3])


def test_importing_the_facts_needs_no_django_and_no_xblock():
    script = (
        "import sys\n"
        "from kuza_xblocks.case_study import case_facts\n"
        "print(case_facts({'country': 'SN'})['country'])\n"
        "print(sorted(name for name in ('django', 'xblock') if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split("\n")[:2] == ["SN", "[]"]
