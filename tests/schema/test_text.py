"""Counting nouns in a report's language (schema/text.py: counted)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from missionplan.schema.language import speaking
from missionplan.schema.text import COUNTED_NOUNS, counted


def test_english_takes_the_singular_for_one_only() -> None:
    assert [counted(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert counted(2, "entry", "entries") == "2 entries"


def test_french_takes_the_singular_for_zero_and_one() -> None:
    assert [counted(n, "error", language="fr") for n in (0, 1, 2)] == [
        "0 erreur",
        "1 erreur",
        "2 erreurs",
    ]
    with speaking("fr"):
        assert counted(3, "entry", "entries") == "3 entrées"
        assert counted(1, "warning") == "1 avertissement"


@given(st.integers(min_value=2, max_value=10**6), st.sampled_from(COUNTED_NOUNS))
def test_every_counted_noun_has_a_french_plural_unlike_its_singular(
    count: int, nouns: tuple[str, str]
) -> None:
    singular, plural = nouns
    french_one = counted(1, singular, plural, "fr")
    french_many = counted(count, singular, plural, "fr")
    assert french_one.split(" ", 1)[1] != french_many.split(" ", 1)[1]
    assert counted(count, singular, plural, "en") == f"{count} {plural}"
    assert french_many.split(" ", 1)[1] not in (singular, plural)  # translated, not English
