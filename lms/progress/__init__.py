"""Progress: how far each learner is through each course, from the completions table."""
