"""The arrangement types: ordering items and matching pairs."""

from lxml import etree

from kuza_xblocks.olx import read_text
from kuza_xblocks.quiz.questions.base import (
    SCORINGS,
    UNANSWERED,
    QuestionType,
    Result,
    duplicate_texts,
    id_problems,
    invalid_result,
    is_text,
    is_unanswered,
    record_list,
    scored,
)
from kuza_xblocks.quiz.questions.elements import (
    add_text_element,
    indent_children,
    read_attributes,
    read_children,
    single_child,
    text_of,
)


class Ordering(QuestionType):
    """Items to put in order. ``items``: ``{id, text}`` in the correct order; ``scoring``
    "all_or_nothing" or "partial" (items in their correct place / items).
    Response: the item ids in the learner's order."""

    name = "ordering"
    attributes = ("scoring",)

    def gives_partial_credit(self, question):
        return question.get("scoring", "all_or_nothing") == "partial"
    children = ("item",)

    def problems(self, question):
        items, problems = record_list(question, "items", "item", 2)
        problems += id_problems([i.get("id") for i in items], "item")
        for item in items:
            if not is_text(item.get("text")):
                problems.append(f'item "{item.get("id")}" has no text')
        problems += duplicate_texts([i.get("text") for i in items if is_text(i.get("text"))], "items")
        if question.get("scoring", "all_or_nothing") not in SCORINGS:
            problems.append(f'its scoring must be "all_or_nothing" or "partial", not "{question.get("scoring")}"')
        return problems

    def read_olx(self, element, attributes, children) -> dict:
        items = []
        for child in children:
            read_attributes(child, ("id",))
            items.append({"id": child.get("id", ""), "text": read_text(child)})
        return {"items": items, "scoring": attributes.get("scoring", "all_or_nothing")}

    def write_olx(self, question, element) -> None:
        if question.get("scoring", "all_or_nothing") != "all_or_nothing":
            element.set("scoring", question["scoring"])
        for item in question["items"]:
            add_text_element(element, "item", item["text"], 2, id=item["id"])

    def grade(self, question, response) -> Result:
        if is_unanswered(response):
            return UNANSWERED
        expected = [item["id"] for item in question["items"]]
        # Anything but a rearrangement of the items (a tampered form) cannot be graded.
        if (
            not isinstance(response, (list, tuple))
            or not all(isinstance(given, str) for given in response)
            or sorted(response) != sorted(expected)
        ):
            return invalid_result()
        in_place = sum(given == wanted for given, wanted in zip(response, expected))
        if question.get("scoring", "all_or_nothing") == "partial":
            return scored(in_place / len(expected))
        return scored(1.0 if in_place == len(expected) else 0.0)

    def correct_response(self, question):
        return [item["id"] for item in question["items"]]


class Matching(QuestionType):
    """Pairs to match. ``pairs``: ``{id, left, right}``; score = pairs matched right / pairs.
    Response: {pair id: id of the pair whose right side the learner chose for its left side}."""

    name = "matching"
    children = ("pair",)

    def gives_partial_credit(self, question):
        return True

    def problems(self, question):
        pairs, problems = record_list(question, "pairs", "pair", 2)
        problems += id_problems([p.get("id") for p in pairs], "pair")
        for side in ("left", "right"):
            for pair in pairs:
                if not is_text(pair.get(side)):
                    problems.append(f'pair "{pair.get("id")}" has no <{side}> text')
            problems += duplicate_texts([p.get(side) for p in pairs if is_text(p.get(side))], f"{side} sides")
        return problems

    def read_olx(self, element, attributes, children) -> dict:
        pairs = []
        for child in children:
            read_attributes(child, ("id",))
            sides = read_children(child, ("left", "right"))
            pairs.append({
                "id": child.get("id", ""),
                "left": text_of(single_child(sides, "left", child)),
                "right": text_of(single_child(sides, "right", child)),
            })
        return {"pairs": pairs}

    def write_olx(self, question, element) -> None:
        for pair in question["pairs"]:
            pair_element = etree.SubElement(element, "pair", {"id": pair["id"]})
            add_text_element(pair_element, "left", pair["left"], 3)
            add_text_element(pair_element, "right", pair["right"], 3)
            indent_children(pair_element, 2)

    def grade(self, question, response) -> Result:
        if is_unanswered(response):
            return UNANSWERED
        if not isinstance(response, dict):
            return invalid_result()
        chosen = {key: value for key, value in response.items() if not is_unanswered(value)}
        if not chosen:
            return UNANSWERED
        pairs = question["pairs"]
        return scored(sum(chosen.get(pair["id"]) == pair["id"] for pair in pairs) / len(pairs))

    def correct_response(self, question):
        return {pair["id"]: pair["id"] for pair in question["pairs"]}
