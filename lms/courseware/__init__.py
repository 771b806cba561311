"""Courseware: the XBlock runtime, course content, and learners' state, scores and completions."""
