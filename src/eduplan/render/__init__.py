"""Rendering: report data → text for people (Rich tables) and for programs (JSON, CSV, Markdown).

``data`` turns reports into plain dicts (the documented JSON schemas); ``text`` writes
JSON, CSV and Markdown; ``table`` draws Rich tables and is the only module here that
imports rich, so that machine-readable output never pays for it.
"""
