"""Field data for a learner's view of a course: content from the version, state from the database.

Scope.content and Scope.settings come from the stored course version and are read-only here
(authoring makes a new version instead). Scope.user_state lives in one LearnerState row per
learner and block, loaded when first needed and written back when a block saves.
"""
from __future__ import annotations

from collections.abc import Callable

from xblock.exceptions import InvalidScopeError
from xblock.field_data import FieldData
from xblock.fields import Scope

CONTENT_SCOPES = (Scope.content, Scope.settings)


class CourseFieldData(FieldData):
    """Answers field reads and writes for every block of one course version and one learner.

    ``content`` maps usage id to that block's content/settings values, ``children`` and
    ``parents`` give the tree. ``load_state`` returns a learner's user_state dict for a block
    (or None), ``save_state`` stores one; both come from the courseware services.
    """

    def __init__(
        self,
        content: dict[str, dict],
        children: dict[str, list[str]],
        parents: dict[str, str | None],
        load_state: Callable[[str], dict | None],
        save_state: Callable[[str, str, dict], None],
    ):
        self._content = content
        self._children = children
        self._parents = parents
        self._load_state = load_state
        self._save_state = save_state
        self._states: dict[str, dict] = {}

    def _state(self, block) -> dict:
        usage_id = block.scope_ids.usage_id
        if usage_id not in self._states:
            self._states[usage_id] = dict(self._load_state(usage_id) or {})
        return self._states[usage_id]

    def _values(self, block, name: str) -> dict:
        scope = block.fields[name].scope
        if scope in CONTENT_SCOPES:
            return self._content.get(block.scope_ids.usage_id, {})
        if scope == Scope.user_state:
            return self._state(block)
        raise InvalidScopeError(scope)

    def get(self, block, name):
        scope = block.fields[name].scope
        usage_id = block.scope_ids.usage_id
        if scope == Scope.children:
            return list(self._children.get(usage_id, []))
        if scope == Scope.parent:
            return self._parents.get(usage_id)
        try:
            return self._values(block, name)[name]
        except InvalidScopeError:
            # Scopes Kuza does not store (preferences, user_info, user_state_summary) read as
            # their defaults, as in a runtime that has no value yet.
            raise KeyError(name) from None

    def has(self, block, name):
        scope = block.fields[name].scope
        if scope in (Scope.children, Scope.parent):
            return True
        try:
            return name in self._values(block, name)
        except InvalidScopeError:
            return False

    def set(self, block, name, value):
        self.set_many(block, {name: value})

    def set_many(self, block, update_dict):
        for name in update_dict:
            if block.fields[name].scope != Scope.user_state:
                raise InvalidScopeError(block.fields[name].scope, [Scope.user_state])
        state = self._state(block)
        state.update(update_dict)
        self._save_state(block.scope_ids.usage_id, block.scope_ids.block_type, state)

    def delete(self, block, name):
        if block.fields[name].scope != Scope.user_state:
            raise InvalidScopeError(block.fields[name].scope, [Scope.user_state])
        state = self._state(block)
        if name not in state:
            raise KeyError(name)
        del state[name]
        self._save_state(block.scope_ids.usage_id, block.scope_ids.block_type, state)

    def default(self, block, name):
        raise KeyError(name)
