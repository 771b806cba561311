"""Certificates: the completion rules of a course version, and the certificates learners earn under them."""
