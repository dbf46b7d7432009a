"""Pelican adapter for the disclosure core.

``register()`` is the whole wiring: one generator that renders every page from the
public corpus.  Pelican's own readers are switched off for Markdown in
``pelicanconf.py``, so Pelican never reads a document (its reserved ``status``
metadata key never sees ours, and nothing non-public can slip through it).
"""


def get_generators(pelican_object):  # type: ignore[no-untyped-def]
    """``get_generators`` handler: add our generator (module level: signals keep weak references)."""
    from .generator import DisclosureGenerator

    return DisclosureGenerator


def register() -> None:
    # Pelican is imported only when it runs: a quick rebuild (.quick) never loads it.
    from pelican import signals

    signals.get_generators.connect(get_generators)
