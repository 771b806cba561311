"""Errors that a block raises when a course package it is given is not valid."""


class OLXError(ValueError):
    """An OLX element that a block cannot load, with a message an author can act on.

    Hosts report it as ``file:line: message``; ``line`` is the line of the
    offending node when it is more precise than the block's own element.
    """

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
