"""Catalog: courses, their published versions, and enrolments."""
