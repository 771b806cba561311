"""Which block types this server hosts: the structure blocks plus installed XBlocks."""
from __future__ import annotations

from functools import cache

from xblock.core import XBlock
from xblock.plugin import PluginMissingError

from lms.courseware.openedx_blocks import OPEN_EDX_BLOCKS
from lms.courseware.structure import STRUCTURE_BLOCKS

# Block types the server itself provides: Open edX's structure tags, its html lessons, and the
# notice that stands for a block Kuza cannot run.
SERVER_BLOCKS: dict[str, type[XBlock]] = {**STRUCTURE_BLOCKS, **OPEN_EDX_BLOCKS}


class UnknownBlockType(LookupError):
    def __init__(self, block_type: str):
        super().__init__(f"unknown block type <{block_type}>: this server hosts no such block")
        self.block_type = block_type


def is_hosted(block_type: str, extra_types: frozenset[str] = frozenset()) -> bool:
    """Kuza hosts its own blocks, its ``kuza_*`` XBlocks and any type an operator lists in KUZA_EXTRA_XBLOCKS."""
    if block_type in SERVER_BLOCKS:
        return True
    return (block_type.startswith("kuza_") or block_type in extra_types) and _installed(block_type)


def block_class(block_type: str, extra_types: frozenset[str] = frozenset()) -> type[XBlock]:
    if block_type in SERVER_BLOCKS:
        return SERVER_BLOCKS[block_type]
    if not is_hosted(block_type, extra_types):
        raise UnknownBlockType(block_type)
    return XBlock.load_class(block_type)


@cache
def _installed(block_type: str) -> bool:
    try:
        XBlock.load_class(block_type)
    except PluginMissingError:
        return False
    return True
