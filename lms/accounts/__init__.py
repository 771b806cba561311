"""Accounts: learners, trainers and admins; registration and signing in."""
