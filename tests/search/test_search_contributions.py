"""The export's hoisted score loop gives contribution()'s integers bit for bit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_search.scoring import FIELD_BOOSTS, contribution, field_k1_norms, mean_length, term_contributions


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from(sorted(FIELD_BOOSTS)),
    lengths=st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=40),
    data=st.data(),
)
def test_term_contributions_equal_contribution(field: str, lengths: list[int], data: st.DataObject) -> None:
    ordinals = sorted(data.draw(st.sets(st.integers(0, len(lengths) - 1), min_size=1)))
    tfs = [data.draw(st.integers(min_value=1, max_value=300)) for _ in ordinals]
    flat = [x for pair in zip(ordinals, tfs) for x in pair]
    got_ordinals, values = term_contributions(field, flat, field_k1_norms(field, lengths))
    average = mean_length(sum(lengths), len(lengths))
    expected = [contribution(field, float(tf), lengths[o] or 1, average, len(ordinals), len(lengths))
                for o, tf in zip(ordinals, tfs)]
    assert got_ordinals == ordinals and values == expected
