"""Practice library: every case study in the published courses, searchable, readable without enrolling."""
