"""The order in which one learner sees a question's options, stable across visits without storing it.

The page never shows authored ids of options (an author who writes the right choice
first as "a" would give it away); every option is named by its position on the page,
and this module maps positions back to ids when the learner submits.

The order is drawn from a seed made of the learner's id and the block's usage id, so a
learner sees the same order on every visit and after every submission, two learners see
different orders, and rendering a page writes no state.
"""

import hashlib
import random
from dataclasses import dataclass


def learner_seed(user_id, usage_id) -> str:
    """The seed of one learner's orders in one quiz block."""
    return hashlib.sha256(f"{user_id}\x1f{usage_id}".encode()).hexdigest()


@dataclass(frozen=True)
class Layout:
    """One question as one learner sees it: authored indices in the order shown.

    ``options`` are the choices (single choice, multiple response), the items to put in
    order (ordering) or the right-hand options (matching); empty for other types.
    """

    options: tuple[int, ...] = ()

    def key(self, authored_index: int) -> str:
        """The value that names the authored option ``authored_index`` in the page."""
        return str(self.options.index(authored_index))

    def authored_index(self, key: str) -> int | None:
        """The authored option that the page value ``key`` names, or None if it names none."""
        if not key.isdecimal() or len(key) > 4:
            return None
        position = int(key)
        return self.options[position] if position < len(self.options) else None


def question_layout(seed: str, question: dict, *, shuffle: bool) -> Layout:
    """How the learner with ``seed`` sees ``question``.

    Choices are shuffled when the quiz says so. Ordering items and matching options are
    always shuffled: items are authored in the correct order, and right-hand options next
    to their left-hand partners. The shuffle is uniform and may land on the authored order;
    avoiding it would tell the learner something (with two items, the whole answer).
    """
    kind = question.get("type")
    if kind in ("single_choice", "multiple_response"):
        count = len(question.get("choices") or ())
        return Layout(_permutation(seed, question, count) if shuffle else tuple(range(count)))
    if kind == "ordering":
        return Layout(_permutation(seed, question, len(question.get("items") or ())))
    if kind == "matching":
        return Layout(_permutation(seed, question, len(question.get("pairs") or ())))
    return Layout()


def _permutation(seed: str, question: dict, count: int) -> tuple[int, ...]:
    # Seeded per question as well, so two questions with the same number of options are not
    # shuffled alike, and editing one question leaves the others' orders as they were.
    digest = hashlib.sha256(f"{seed}\x1f{question.get('id')}".encode()).digest()
    order = list(range(count))
    random.Random(digest).shuffle(order)  # noqa: S311 - an order to show, not a secret
    return tuple(order)

