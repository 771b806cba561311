"""The quiz block (kuza_quiz): questions graded by pure rules, attempts, feedback and pre/post tests."""
