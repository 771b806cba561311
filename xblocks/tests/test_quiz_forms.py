"""Unit tests for decoding a quiz post (form fields or JSON) into responses, and for the redirect after it."""

import pytest
from webob.multidict import MultiDict

from kuza_xblocks.quiz import forms
from kuza_xblocks.quiz.layout import Layout

QUESTIONS = [
    {"id": "sc", "type": "single_choice", "choices": [{"id": "a"}, {"id": "b"}, {"id": "c"}]},
    {"id": "mr", "type": "multiple_response", "choices": [{"id": "a"}, {"id": "b"}, {"id": "c"}]},
    {"id": "tf", "type": "true_false"},
    {"id": "nu", "type": "numeric"},
    {"id": "st", "type": "short_text"},
    {"id": "or", "type": "ordering", "items": [{"id": "x"}, {"id": "y"}, {"id": "z"}]},
    {"id": "ma", "type": "matching", "pairs": [{"id": "p"}, {"id": "q"}, {"id": "r"}]},
]
# As one learner sees them: shown position -> authored index.
LAYOUTS = {"sc": Layout((2, 0, 1)), "mr": Layout((1, 2, 0)), "or": Layout((2, 1, 0)), "ma": Layout((1, 0, 2))}


def decode(fields):
    return forms.decode(QUESTIONS, LAYOUTS, fields)


def test_every_type_is_decoded_to_authored_ids():
    fields = {
        "q-sc": ["0"],  # shown first: authored c
        "q-mr": ["0", "2"],  # b and a
        "q-tf": ["false"],
        "q-nu": [" 2,5 "],
        "q-st": ["UN DESA"],
        "q-or-0": ["3"], "q-or-1": ["1"], "q-or-2": ["2"],  # z third, y first, x second
        "q-ma-0": ["1"], "q-ma-1": ["0"], "q-ma-2": ["2"],  # p->p, q->q, r->r
        "csrf_token": ["t"], "return_to": ["/u"], "submission": ["s"],
    }
    assert decode(fields) == {
        "sc": "c",
        "mr": ["a", "b"],
        "tf": False,
        "nu": "2,5",
        "st": "UN DESA",
        "or": ["y", "x", "z"],
        "ma": {"p": "p", "q": "q", "r": "r"},
    }


def test_empty_fields_leave_questions_unanswered():
    assert decode({"q-sc": [""], "q-st": ["   "], "q-or-0": [""], "q-ma-1": [""]}) == {}


def test_ordering_places_unplaced_items_last_and_keeps_shown_order_for_ties():
    # Shown: z, y, x. Only x placed (first); y and z follow in the order shown.
    assert decode({"q-or-2": ["1"]}) == {"or": ["x", "z", "y"]}
    # z and x both first: z was shown first.
    assert decode({"q-or-0": ["1"], "q-or-2": ["1"], "q-or-1": ["3"]}) == {"or": ["z", "x", "y"]}


def test_partial_matching_keeps_what_was_matched():
    assert decode({"q-ma-2": ["0"]}) == {"ma": {"r": "q"}}


@pytest.mark.parametrize(
    "fields",
    [
        {"q-sc": ["3"]},
        {"q-sc": ["0", "1"]},
        {"q-mr": ["7"]},
        {"q-tf": ["yes"]},
        {"q-or-0": ["4"]},
        {"q-or-0": ["0"]},
        {"q-ma-0": ["x"]},
        {"q-st": ["x" * (forms.MAX_TEXT + 1)]},
    ],
)
def test_values_the_page_did_not_offer_are_refused(fields):
    with pytest.raises(forms.ResponseError):
        decode(fields)


def test_form_fields_keep_repeated_names():
    post = MultiDict([("q-mr", "0"), ("q-mr", "1"), ("submission", "t")])
    assert forms.form_fields(post) == {"q-mr": ["0", "1"], "submission": ["t"]}


def test_json_fields_accept_values_and_lists():
    token, fields = forms.json_fields({"submission": "t", "responses": {"q-mr": ["0", "1"], "q-tf": True, "q-nu": 2.5}})
    assert token == "t"
    assert fields == {"q-mr": ["0", "1"], "q-tf": ["true"], "q-nu": ["2.5"]}


@pytest.mark.parametrize("body", [[], "x", {"responses": []}, {"responses": {"q-sc": {"a": 1}}}, {"responses": {"q": [None]}}])
def test_json_of_another_shape_is_refused(body):
    with pytest.raises(forms.ResponseError):
        forms.json_fields(body)


def test_submission_tokens_are_uuid4():
    token = "0b0c0a36-3c5e-4c63-9d5c-5c1d1f1b2a10"
    assert forms.submission_token(token.upper()) == token
    for bad in ("", "x", token + "0", "0b0c0a36-3c5e-1c63-9d5c-5c1d1f1b2a10"):
        with pytest.raises(forms.ResponseError):
            forms.submission_token(bad)


@pytest.mark.parametrize(
    ("return_to", "referer", "expected"),
    [
        ("/courses/c/unit/u", "https://other.example/", "/courses/c/unit/u"),
        ("/courses/c/unit/u?x=1#q", None, "/courses/c/unit/u?x=1#q"),
        ("//evil.example", None, "."),
        ("/\\evil.example", None, "."),
        ("/\t/evil.example", None, "."),
        ("https://kuza.example/x", None, "."),
        ("courses/x", None, "."),
        (None, "https://kuza.example/courses/u", "https://kuza.example/courses/u"),
        (None, "https://kuza.example:443/courses/u", "https://kuza.example:443/courses/u"),
        (None, "http://kuza.example/courses/u", "."),  # another scheme is another origin
        (None, "https://kuza.example.evil/courses/u", "."),
        (None, "https://evil.example/?https://kuza.example/", "."),
        (None, "javascript:alert(1)//kuza.example", "."),
        (None, "https://kuza.example:99999/", "."),
        (None, None, "."),
    ],
)
def test_redirect_target(return_to, referer, expected):
    assert forms.redirect_target(return_to, referer, "https://kuza.example") == expected
