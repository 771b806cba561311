"""Cohorts: groups of a course's learners (an online group, a workshop, a study tour) with their trainers, codes, rosters and deadlines."""
