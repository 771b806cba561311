"""The case study block (kuza_case_study): an innovative public-service practice, told in one structure.

``case_facts`` (in ``facts``) reads a case's facts from its stored fields without the block
or a runtime, so a host can index cases across courses without rendering them.
"""

from kuza_xblocks.case_study.facts import case_facts

__all__ = ["case_facts"]
