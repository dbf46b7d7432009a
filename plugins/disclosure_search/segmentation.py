"""Chinese word segmentation used at index time.

We use ``rjieba`` (a Rust port of jieba with the same dictionary and HMM): on
the seed documents it produced exactly the same segmentation as jieba 0.42.1
for every run of Chinese characters, about 14 times faster and with a tenth of
the start-up time (see ``bench/search/bench_search.py``).

Queries are *not* segmented (the browser has no dictionary): see
:mod:`disclosure_search.analysis` for how words and bigrams meet.
"""

from __future__ import annotations

from typing import Any

#: Recorded in the index so that changing segmenter forces a full re-index.
SEGMENTER = "rjieba-0.2.2-hmm"


def segment(run: str) -> list[str]:
    """Split a run of Chinese characters into words (jieba dictionary + HMM)."""
    return list(_cut(run))


def _cut(run: str) -> Any:
    """``rjieba.cut``, imported when first needed (a quarter of a second, which a rebuild
    that tokenises nothing, as after a date of publication edit, does not spend)."""
    global _cut
    import rjieba

    _cut = rjieba.cut
    return _cut(run)
