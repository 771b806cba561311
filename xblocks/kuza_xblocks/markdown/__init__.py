"""The Markdown lesson block (kuza_markdown): a lesson written as readable Markdown."""
