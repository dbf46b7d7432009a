"""The disclosure core: document model, schema, effectiveness, relations, checks.

This package never imports Pelican: the Pelican plugins in ``disclosure_pelican``
adapt it, and ``publish.py`` drives it from the command line.
"""
