"""Is a submitted entity one the store already holds? Names compared the way a curator would.

Names and aliases are normalised (case, accents, punctuation, word order), country codes read as
the country's name (``KE IGF`` is ``Kenya IGF``), acronyms matched against names (``KIGF`` and
``Kenya Internet Governance Forum``, ``UNESCO`` and its full name) and acronyms the store itself
spells out expanded (``IGF`` -> ``internet governance forum``). Scores come from rapidfuzz.

Cost stays below quadratic: candidates are found by blocking on normalised tokens (and their
first letters, for typos) that are not common in the store; a token shared by more than
:data:`BLOCK_LIMIT` entities (``igf``, ``forum``) opens no block, unless every word of a name
is that common (then the smallest of their blocks, up to :data:`FALLBACK_LIMIT`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: Scores at or above this make a submitted entity a duplicate of its best candidate.
THRESHOLD = 86.0
#: A token in more entities than this opens no block (it says nothing about which entity).
BLOCK_LIMIT = 60
#: A name all of whose words are common looks in the smallest of their blocks, up to this size.
FALLBACK_LIMIT = 5 * BLOCK_LIMIT
#: Words acronyms skip ("United Nations Educational, Scientific and Cultural Organization").
_MINOR = frozenset(
    {"and", "of", "the", "for", "on", "in", "de", "del", "la", "le", "du", "des", "et", "y", "e"}
)
_PARENS = re.compile(r"\(([^)]*)\)")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_CODE = re.compile(r"^[A-Z]{2}$")
#: Two capitals standing alone: a name that may hold a country code.
_MAY_HOLD_CODE = re.compile(r"(?<![A-Za-z])[A-Z]{2}(?![A-Za-z])")
_RAW_NON_WORD = re.compile(r"[^0-9A-Za-z]+")
#: Country codes that are also common abbreviations in this field, never read as a country.
_NOT_COUNTRIES = frozenset({"UN", "EU", "AI", "IT", "PN", "DC", "IG"})


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without accents or punctuation, words separated by one space.

    >>> fold("Foro de Gobernanza de Internet, México!")
    'foro de gobernanza de internet mexico'
    """
    text = text.replace("&", " and ")
    if text.isascii():  # most names: no accent to take off (a character loop per name otherwise)
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_WORD.sub(" ", plain).strip()


@lru_cache(maxsize=1)
def country_names() -> tuple[dict[str, str], dict[str, str]]:
    """(code -> folded common name, folded name -> code) from ISO 3166 (pycountry)."""
    import pycountry

    by_code: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for country in pycountry.countries:
        names = [getattr(country, attr, None) for attr in ("common_name", "name", "official_name")]
        spelled = [fold(n) for n in names if n]
        by_code[country.alpha_2] = spelled[0]
        for name in spelled:
            by_name.setdefault(name, country.alpha_2)
        # "Korea, Republic of" also as "Republic of Korea".
        for n in names:
            if n and ", " in n:
                head, tail = n.split(", ", 1)
                by_name.setdefault(fold(f"{tail} {head}"), country.alpha_2)
    return by_code, by_name


@lru_cache(maxsize=1)
def _country_first_words() -> frozenset[str]:
    """The first word of every folded country name :func:`country_names` knows."""
    return frozenset(name.split()[0] for name in country_names()[1] if name)


def _country_words(words: list[str], raw_words: list[str]) -> list[str]:
    """``words`` with a country code (``KE``, written in capitals) or any spelling of a country's
    name replaced by one spelling of it, so ``KE IGF``, ``Kenya IGF`` and ``IGF Kenya`` meet."""
    by_code, by_name = country_names()
    starts = _country_first_words()
    out: list[str] = []
    i = 0
    while i < len(words):
        raw = raw_words[i] if i < len(raw_words) else ""
        if _CODE.match(raw) and raw not in _NOT_COUNTRIES and raw in by_code:
            out.extend(by_code[raw].split())
            i += 1
            continue
        if words[i] not in starts:  # no country's name begins with this word
            out.append(words[i])
            i += 1
            continue
        for size in (5, 4, 3, 2, 1):
            phrase = " ".join(words[i : i + size])
            code = by_name.get(phrase) if len(words) - i >= size else None
            if code:
                out.extend(by_code[code].split())
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def acronym(words: Iterable[str]) -> str:
    """Initials of the words that are not minor ones.

    >>> acronym(fold("United Nations Educational, Scientific and Cultural Organization").split())
    'unesco'
    """
    return "".join(w[0] for w in words if w not in _MINOR)


def name_forms(text: str) -> list[str]:
    """A name and what it holds in brackets, as separate forms: ``Kenya IGF (KIGF)``."""
    inner = [m.strip() for m in _PARENS.findall(text) if m.strip()]
    outer = _PARENS.sub(" ", text).strip()
    return [f for f in (outer, *inner) if f]


@dataclass(frozen=True)
class Match:
    """The best existing entity for a submitted one: its id, the score (0-100) and why."""

    candidate: str
    score: float
    reason: str


class EntityMatcher:
    """Finds, for a submitted entity, the existing entity it most probably is (see the module)."""

    def __init__(self, entities: Mapping[str, Mapping[str, Any]], categories: Mapping[str, str]):
        self._categories = {eid: categories.get(str(e.get("type")), "") for eid, e in entities.items()}
        self._forms: dict[str, list[tuple[str, ...]]] = {}
        self._acronyms: dict[str, set[str]] = defaultdict(set)
        self._acronyms_of: dict[str, set[str]] = {}
        self._expansions: dict[str, tuple[str, ...]] = {}
        raw_forms = {eid: self._raw_forms(e) for eid, e in entities.items()}
        self._learn_expansions(raw_forms)
        frequency: dict[str, int] = defaultdict(int)
        for eid, forms in raw_forms.items():
            self._forms[eid] = [self._words(f) for f in forms]
            self._acronyms_of[eid] = {acronym(fold(form).split()) for form in forms}
            for short in self._acronyms_of[eid]:
                self._acronyms[short].add(eid)
            for token in {t for words in self._forms[eid] for t in words}:
                frequency[token] += 1
        self._common = frozenset(t for t, n in frequency.items() if n > BLOCK_LIMIT)
        self._blocks: dict[str, set[str]] = defaultdict(set)
        for eid, words_of_forms in self._forms.items():
            for key in self._keys(words_of_forms):
                self._blocks[key].add(eid)

    @staticmethod
    def _raw_forms(entity: Mapping[str, Any]) -> list[str]:
        texts = [str(entity.get("name") or ""), *map(str, entity.get("aliases") or [])]
        return [form for text in texts if text for form in name_forms(text)]

    def _learn_expansions(self, raw_forms: Mapping[str, list[str]]) -> None:
        """Acronyms the store spells out itself (``IGF`` beside ``Internet Governance Forum``)."""
        for forms in raw_forms.values():
            shorts = [fold(f) for f in forms if len(fold(f).split()) == 1]
            for form in forms:
                words = fold(form).split()
                if len(words) > 1:
                    for short in shorts:
                        if acronym(words) == short and len(short) >= 3:
                            self._expansions.setdefault(short, tuple(words))

    def _words(self, text: str) -> tuple[str, ...]:
        words = fold(text).split()
        raw_words: list[str] = []
        if not text.isascii() or _MAY_HOLD_CODE.search(text):  # raw words matter for a code (``KE``)
            raw_words = _RAW_NON_WORD.sub(" ", unicodedata.normalize("NFKD", text)).split()
        if raw_words or not _country_first_words().isdisjoint(words):
            words = _country_words(words, raw_words if len(raw_words) == len(words) else [])
        expanded: list[str] = []
        for word in words:
            expanded.extend(self._expansions.get(word, (word,)) if len(words) > 1 else (word,))
        return tuple(sorted(w for w in expanded if w not in _MINOR) or expanded)

    def _keys(self, forms: Iterable[tuple[str, ...]]) -> set[str]:
        keys = set()
        for words in forms:
            for word in words:
                if word not in _MINOR:  # common words too: their blocks serve as a last resort
                    keys.add(word)
                    keys.add("~" + word[:3])
            keys.add("=" + " ".join(words))
        return keys

    def candidates(self, entity: Mapping[str, Any]) -> set[str]:
        """Existing ids that share an uncommon token (or its first three letters) or an acronym."""
        raw = self._raw_forms(entity)
        found: set[str] = set()
        oversized: list[set[str]] = []
        for key in self._keys(self._words(f) for f in raw):
            block = self._blocks.get(key, set())
            if len(block) <= BLOCK_LIMIT:
                found.update(block)
            else:
                oversized.append(block)
        if not found and oversized:
            # Every word is common (a large store): the smallest of their blocks, still bounded.
            smallest = min(oversized, key=len)
            found.update(smallest if len(smallest) <= FALLBACK_LIMIT else ())
        for form in raw:
            words = fold(form).split()
            found.update(self._acronyms.get(words[0], ()) if len(words) == 1 else ())
            found.update(self._acronyms.get(acronym(words), ()) if len(words) > 1 else ())
        return found

    def best(self, entity: Mapping[str, Any], category: str) -> Match | None:
        """The most likely existing entity of the same category, or None below :data:`THRESHOLD`."""
        from rapidfuzz import fuzz

        forms = [self._words(f) for f in self._raw_forms(entity)]
        raw = [fold(f) for f in self._raw_forms(entity)]
        best: Match | None = None
        for eid in sorted(self.candidates(entity)):
            if self._categories.get(eid) != category:
                continue
            score, reason = self._score(forms, raw, eid, fuzz)
            if score >= THRESHOLD and (best is None or score > best.score):
                best = Match(eid, round(score, 1), reason)
        return best

    def _score(self, forms: list[tuple[str, ...]], raw: list[str], eid: str, fuzz: Any) -> tuple[float, str]:
        best, reason = 0.0, ""
        for theirs in self._forms[eid]:
            for ours in forms:
                score = self._similarity(ours, theirs, fuzz)
                if score > best:
                    best, reason = score, "name"
        if best < 95:
            their_acronyms = self._acronyms_of[eid]
            for text in raw:
                words = text.split()
                if (len(words) == 1 and words[0] in their_acronyms and len(words[0]) >= 3) or (
                    len(words) > 1 and self._is_short_of(acronym(words), eid)
                ):
                    best, reason = 95.0, "acronym"
        return best, reason

    def _is_short_of(self, short: str, eid: str) -> bool:
        """Whether ``short`` is a one-word name or alias of ``eid``."""
        return len(short) >= 3 and any(len(f) == 1 and f[0] == short for f in self._forms[eid])

    def _similarity(self, ours: tuple[str, ...], theirs: tuple[str, ...], fuzz: Any) -> float:
        """Whole names compared, and what tells them apart (uncommon words) compared too:
        ``Youth IGF Japan`` is near ``Japan IGF`` as a whole but not in what distinguishes it."""
        whole = float(fuzz.ratio(" ".join(ours), " ".join(theirs)))
        ours_rare = [w for w in ours if w not in self._common]
        theirs_rare = [w for w in theirs if w not in self._common]
        if not ours_rare and not theirs_rare:
            return whole
        rare = float(fuzz.ratio(" ".join(ours_rare), " ".join(theirs_rare)))
        return (whole + rare) / 2
