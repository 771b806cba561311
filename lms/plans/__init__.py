"""Adaptation plans: what learners submitted through plan blocks, trainers' reviews of them, and their downloads."""
