"""The adaptation plan block (kuza_reflection): guided prompts, a draft, and submitted versions kept for ever."""
