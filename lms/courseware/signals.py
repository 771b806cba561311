"""What the runtime announces, so that later domains (certificates) can react without courseware knowing them."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent by the app, inside the request's transaction and before it commits, when a request has
# recorded new progress (a completion, a score or an attempt) for a learner in a course.
# Arguments: user_id, course_id. Receivers must not fail the learner's request.
progress_recorded = _signals.signal("progress-recorded")
