"""The studio: trainers create courses, choose their staff, edit drafts and publish them as new versions."""
