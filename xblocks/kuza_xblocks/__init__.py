"""Kuza's course components, packaged as XBlocks that Kuza and Open edX both load."""
