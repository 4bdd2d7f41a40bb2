"""Transliteration-aware name keys and the scoring of two person records.

Pure functions, no database: the selectors use ``keys_for`` to store and to block
candidates in PostgreSQL, then ``score`` to rank the few candidates a block returns.

The score is a calibrated 0..1: at 0.8 and above two records are likely the same person,
between 0.5 and 0.8 possibly. ``reasons`` explains it in words the operator understands.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import permutations
from typing import Any

from anyascii import anyascii
from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import JaroWinkler

LIKELY = 0.8
POSSIBLE = 0.5

# Particles written joined or split: "El Amrani"/"Elamrani", "Abdel Rahman", "N'Diaye".
PARTICLES = {"el", "al", "ben", "bin", "ibn", "abd", "abdel", "abdul", "abdal", "abu", "ould", "n"}

# Spelling rules that map transliteration variants onto one skeleton, applied in order.
_RULES = [
    (r"^di(?=[aou])", "j"),  # Diallo, Djalo, Jallow
    (r"dzh|dj|dsch|gj", "j"),
    (r"tsch|tch|tj|cz", "c"),
    (r"sch|sh|ch|sc(?=[ie])|ç", "s"),
    (r"gh", "g"),
    (r"kh|q|ck|c(?=[aou])|k", "k"),
    (r"c", "s"),
    (r"ph", "f"),
    (r"th", "t"),
    (r"dh", "d"),
    (r"zh", "j"),
    (r"ts|tz", "z"),
    (r"x", "ks"),
    (r"w", "u"),
    (r"y", "i"),
    (r"(.)\1+", r"\1"),
]
_COMPILED = [(re.compile(pattern), repl) for pattern, repl in _RULES]
_VOWELS = set("aeiou")


def ascii_fold(text: str) -> str:
    """Any script to lower-case ASCII: Cyrillic, Arabic, Ge'ez, accents."""
    text = unicodedata.normalize("NFKC", text or "")
    return anyascii(text).lower()


# Abbreviations written in documents ("Md Rahman" is Mohammed Rahman).
ABBREVIATIONS = {"md": "muhammad", "mohd": "muhammad", "mhd": "muhammad", "muh": "muhammad"}


# Names repeat (Mohamed, Diallo) and a file or a match scores the same words again and again:
# the pure functions below remember their last answers. Bounded, so memory stays flat.
_CACHED = 16384


def tokens(text: str) -> list[str]:
    """Name words, with particles joined to the word that follows them."""
    return list(_tokens(text))


@lru_cache(maxsize=_CACHED)
def _tokens(text: str) -> tuple[str, ...]:
    words = [ABBREVIATIONS.get(w, w) for w in re.split(r"[^a-z0-9]+", ascii_fold(text)) if w]
    joined: list[str] = []
    carry = ""
    for word in words:
        if word in PARTICLES:
            carry += word
            continue
        joined.append(carry + word)
        carry = ""
    if carry:
        joined.append(carry)
    return tuple(joined)


ARTICLES = ("al", "el", "ul")


def strip_particle(token: str) -> str:
    """The name without a leading article: "elamrani" -> "amrani" (kept when too short).

    Used only as a second reading of a name (keys and similarity take the better of
    both), because "Alberto" also starts with "al".
    """
    for article in ARTICLES:
        if token.startswith(article) and len(token) - len(article) >= 4:
            return token[len(article) :]
    return token


@lru_cache(maxsize=_CACHED)
def skeleton(token: str) -> str:
    """A transliteration-tolerant key: first letter, then the consonants.

    Mohamed, Mohammed, Muhammad, Mouhamed -> "mmd"; Diallo, Dialo, Djalo -> "dl";
    Shevchenko, Chevtchenko -> "sfnk".
    """
    word = token
    for pattern, repl in _COMPILED:
        word = pattern.sub(repl, word)
    if not word:
        return ""
    first = "a" if word[0] in _VOWELS else word[0]
    rest = [c for c in word[1:] if c not in _VOWELS and c != "h"]
    out = first
    for c in rest:
        if c != out[-1]:
            out += c
    return out


def _skeletons(names: tuple[str, ...]) -> list[str]:
    found: set[str] = set()
    for name in names:
        for token in tokens(name):
            for reading in {token, strip_particle(token)}:
                key = skeleton(reading)
                if len(key) >= 2:
                    found.add(key)
    return sorted(found)


def keys_for(*names: str, birth_year: int | None = None, spread: int = 1) -> list[str]:
    """Blocking keys stored on a person: each name word's skeleton, and each pair of them,
    tagged with the birth years around the recorded one ("md@1990", "jl|md@1990").

    A lookup asks for the keys of its own birth year only, so one GIN index lookup
    returns the records whose names share a word (or two) and whose birth years are at
    most ``spread`` apart, without reading the rest of the registry.
    """
    skeletons = _skeletons(names)[:8]
    years = (
        [str(birth_year + d) for d in range(-spread, spread + 1)]
        if birth_year is not None
        else ["?"]
    )
    keys = []
    for year in years:
        keys += [f"{s}@{year}" for s in skeletons]
        keys += [f"{a}|{b}@{year}" for i, a in enumerate(skeletons) for b in skeletons[i + 1 :]]
    return keys


def query_keys(*names: str, birth_year: int | None) -> tuple[list[str], list[str]]:
    """(pair keys, single-word keys) to look a person up by, for their birth year."""
    return own_year_keys(keys_for(*names, birth_year=birth_year, spread=0), birth_year)


def own_year_keys(match_keys: list[str], birth_year: int | None) -> tuple[list[str], list[str]]:
    """``query_keys`` read off a person's stored keys (``keys_for`` with the default
    spread): those of its own birth year, without deriving them again."""
    tag = f"@{birth_year if birth_year is not None else '?'}"
    own = [k for k in match_keys if k.endswith(tag)]
    return [k for k in own if "|" in k], [k for k in own if "|" not in k]


def normalised_name(given: str, family: str) -> str:
    """The name as one folded string, for trigram similarity in PostgreSQL."""
    return " ".join(tokens(given) + tokens(family))


@dataclass(slots=True)
class Candidate:
    """What the matcher compares. Mirrors the person's fields."""

    given_names: str = ""
    family_names: str = ""
    aliases: list[str] = field(default_factory=list)
    sex: str = "U"
    birth_date: date | None = None
    birth_date_precision: str = "day"
    nationalities: list[str] = field(default_factory=list)
    codice_fiscale: str = ""

    def __reduce__(self):
        # Rebuilt by its constructor: a slotted dataclass's own way (``__setstate__``, an
        # attribute at a time) took 10 µs a candidate, and an import sends one per row
        # between processes.
        return (Candidate, tuple(getattr(self, name) for name in _CANDIDATE_FIELDS))


_CANDIDATE_FIELDS = tuple(Candidate.__dataclass_fields__)


@dataclass
class Match:
    score: float
    reasons: list[str]


@lru_cache(maxsize=_CACHED)
def _token_similarity(a: str, b: str) -> float:
    """How alike two name words are, 0..1; symmetric (Jaro-Winkler is). The rules are
    ``word_similarity``'s, of the words read here."""
    return word_similarity(word(a), word(b))


_PARTICLES_LONGEST_FIRST = sorted(PARTICLES - {"n"}, key=len, reverse=True)


def _best_alignment(query: list[str], record: list[str]) -> tuple[float, float]:
    """(mean, weakest) similarity of the shorter list's words to their best partners."""
    return _aligned([[_token_similarity(a, b) for b in record] for a in query])


def _aligned(table: list[list[float]]) -> tuple[float, float]:
    """``_best_alignment`` from the similarities of each query word (a row) to each record
    word (a column). The similarity is symmetric, so the shorter side may be either."""
    if not table or not table[0]:
        return 0.0, 0.0
    if len(table) > len(table[0]):
        table = [list(column) for column in zip(*table, strict=True)]
    if len(table[0]) <= 5:
        best: tuple[float, float] = (0.0, 0.0)
        for perm in permutations(range(len(table[0])), len(table)):
            sims = [row[j] for row, j in zip(table, perm, strict=True)]
            best = max(best, (sum(sims) / len(sims), min(sims)))
        return best
    sims = [max(row) for row in table]
    return sum(sims) / len(sims), min(sims)


def _weakest_penalty(weakest: float) -> float:
    """One name part that clearly differs outweighs the parts that agree."""
    return 1.0 if weakest >= 0.85 else (weakest / 0.85) ** 2


def name_score(q: Candidate, r: Candidate) -> tuple[float, bool, bool]:
    """(similarity, swapped, partial) of the names, trying aliases too."""
    q_given, q_family = tokens(q.given_names), tokens(q.family_names)
    best, swapped, partial = 0.0, False, False
    record_names = [(r.given_names, r.family_names)] + [("", alias) for alias in r.aliases]
    q_words = q_given + q_family
    for given, family in record_names:
        r_given, r_family = tokens(given), tokens(family)
        # Every query word against every record word, once; each alignment reads its part.
        table = [[_token_similarity(a, b) for b in r_given + r_family] for a in q_words]
        overall_mean, overall_min = _aligned(table)
        overall = overall_mean * _weakest_penalty(overall_min)
        if q_given and r_given:
            split_q, split_r = len(q_given), len(r_given)
            g_mean, g_min = _aligned([row[:split_r] for row in table[:split_q]])
            f_mean, f_min = _aligned([row[split_r:] for row in table[split_q:]])
            in_place = (0.45 * g_mean + 0.55 * f_mean) * _weakest_penalty(min(g_min, f_min))
            x1_mean, x1_min = _aligned([row[split_r:] for row in table[:split_q]])
            x2_mean, x2_min = _aligned([row[:split_r] for row in table[split_q:]])
            crossed = (x1_mean + x2_mean) / 2 * _weakest_penalty(min(x1_min, x2_min))
        else:
            in_place, crossed = overall, 0.0
        value, was_swapped = max((in_place, False), (crossed * 0.97, True), (overall * 0.96, False))
        if value > best:
            best, swapped = value, was_swapped and crossed > in_place
            partial = len(q_given + q_family) != len(r_given + r_family)
    return best, swapped, partial


_SAME_DATE = _("same birth date")
_SAME_YEAR_ESTIMATED = _("same birth year (estimated)")
_YEAR_APART_ESTIMATED = _("birth year one apart, estimated")
_SAME_YEAR = _("same birth year")
_SAME_MONTH = _("same birth month and year")
_SWAPPED_DAY_MONTH = _("day and month of birth swapped")
_ONE_PART_DIFFERS = _("same birth year, one date part differs")


def birth_score(q: Candidate, r: Candidate) -> tuple[float, str]:
    """How well two birth dates agree, given how precisely each was recorded."""
    value, reason = _birth(q, r)
    return value, str(reason) if reason else ""


def _birth(q: Candidate, r: Candidate) -> tuple[float, Any]:
    """``birth_score`` with its reason untranslated (``may_reach`` needs only the value)."""
    a, b = q.birth_date, r.birth_date
    if a is None or b is None:
        return 0.5, None
    coarse = {q.birth_date_precision, r.birth_date_precision}
    if a == b and coarse == {"day"}:
        return 1.0, _SAME_DATE
    if "estimated" in coarse:
        gap = abs(a.year - b.year)
        if gap == 0:
            return 0.85, _SAME_YEAR_ESTIMATED
        if gap == 1:
            return 0.7, _YEAR_APART_ESTIMATED
        return 0.05, None
    if "year" in coarse:
        return (0.85, _SAME_YEAR) if a.year == b.year else (0.0, None)
    if "month" in coarse:
        if (a.year, a.month) == (b.year, b.month):
            return 0.9, _SAME_MONTH
        return (0.5, None) if a.year == b.year else (0.0, None)
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return 0.8, _SWAPPED_DAY_MONTH
    if a.year == b.year and (a.month == b.month or a.day == b.day):
        return 0.3, _ONE_PART_DIFFERS
    if a.month == b.month and a.day == b.day and abs(a.year - b.year) == 1:
        return 0.4, None
    return 0.0, None


def score(q: Candidate, r: Candidate) -> Match:
    """The likelihood that q and r are the same person, with the reasons."""
    reasons: list[str] = []
    cf_q, cf_r = q.codice_fiscale.upper().strip(), r.codice_fiscale.upper().strip()
    if cf_q and cf_r and cf_q == cf_r:
        return Match(0.99, [str(_("same codice fiscale"))])

    names, swapped, partial = name_score(q, r)
    birth, birth_reason = birth_score(q, r)
    if names >= 0.999:
        reasons.append(str(_("same name")))
    elif names >= 0.85:
        reasons.append(str(_("similar name (spelling or transliteration)")))
    if swapped:
        reasons.append(str(_("given and family names swapped")))
    if partial and names >= 0.85:
        reasons.append(str(_("part of a compound name")))
    if birth_reason:
        reasons.append(birth_reason)
    return Match(_weigh(names, birth, q, r, cf_q, cf_r, reasons), reasons)


# A name word with what ``_token_similarity`` derives from it, derived once: the word, its
# skeleton, the word without a leading article (``strip_particle``) and its skeleton, the
# particles it starts with (longest first). A plain tuple: rows carry their words from the
# process that reads them to the run, and a tuple crosses quickest.
Word = tuple[str, str, str, str, tuple[str, ...]]


def word(token: str) -> Word:
    stripped = strip_particle(token)
    starts = tuple(p for p in _PARTICLES_LONGEST_FIRST if token.startswith(p))
    return (token, skeleton(token), stripped, skeleton(stripped), starts)


Readings = tuple[tuple[Word, ...], ...]


def readings(c: Candidate) -> Readings:
    """The words of each way ``name_score`` reads a record's names: its given and family
    names, then each alias (the first reading is the one a query is read by)."""
    names = [(c.given_names, c.family_names)] + [("", alias) for alias in c.aliases]
    return tuple(
        tuple(word(t) for t in _tokens(given) + _tokens(family)) for given, family in names
    )


def word_similarity(x: Word, y: Word) -> float:
    """How alike two name words read by ``word`` are, 0..1; symmetric (Jaro-Winkler is).
    Words read once (a file's rows carry theirs) are compared without reading them again;
    ``_token_similarity`` is the same of words as text, remembered."""
    a, ka, sa, ksa, pa = x
    b, kb, sb, ksb, pb = y
    if a == b:
        return 1.0
    plain = JaroWinkler.similarity(a, b)
    # A short skeleton ("al") is shared by unrelated names (Wael, Ali): ask for some
    # spelling agreement too.
    if ka and ka == kb and (len(ka) >= 3 or plain >= 0.7):
        return 0.95
    if pa and pb:
        # "Ben Amor" and "Ben Said" share only the particle: compare what follows it.
        for particle in pa:  # the longest first
            if particle in pb:
                ra, rb = a[len(particle) :], b[len(particle) :]
                if len(ra) >= 3 and len(rb) >= 3:
                    return _token_similarity(ra, rb)
    if (sa, sb) != (a, b) and (sa == sb or ksa == ksb):
        return 0.93
    return max(plain, JaroWinkler.similarity(sa, sb) * 0.97)


def reaches(q: Candidate, r: Candidate, minimum: float) -> bool:
    """Whether ``score(q, r).score >= minimum``, deciding most pairs without aligning
    their names (``reaches_read`` with the names read here)."""
    return reaches_read(q, readings(q)[0], r, readings(r), minimum)


def reaches_read(
    q: Candidate, q_words: tuple[Word, ...], r: Candidate, r_readings: Readings, minimum: float
) -> bool:
    """``reaches`` of names read beforehand (``readings``: the query's first reading).

    Each way ``name_score`` aligns the words (in place, crossed, overall) gives at most
    the best similarity of one query word to one record word, times the penalty of its
    weakest pair; when both names have two words or more, every alignment pairs two
    words of different rows (query words) or of different columns (record words), so its
    weakest pair is at most the second best of the rows' or of the columns' best
    similarities. The score only grows with the name similarity: when that bound cannot
    reach ``minimum``, neither can the score.
    """
    cf_q, cf_r = q.codice_fiscale.upper().strip(), r.codice_fiscale.upper().strip()
    if cf_q and cf_r and cf_q == cf_r:
        return minimum <= 0.99
    birth, _reason = _birth(q, r)
    bound = 0.0
    for r_words in r_readings:
        if not q_words or not r_words:
            continue  # no alignment: the names' similarity is 0 for this reading
        table = [[word_similarity(a, b) for b in r_words] for a in q_words]
        rows = [max(row) for row in table]
        value = max(rows)
        if len(q_words) > 1 and len(r_words) > 1:
            columns = sorted(max(column) for column in zip(*table, strict=True))
            second = max(sorted(rows)[-2], columns[-2])
            value *= _weakest_penalty(second)
        bound = max(bound, value)
    # A mean of equal floats can exceed their maximum by a unit in the last place: the bound
    # is widened by far more than that, and still rules out what it did.
    bound *= 1 + 1e-9
    if _weigh(bound, birth, q, r, cf_q, cf_r, None) < minimum:
        return False
    names, _swapped, _partial = name_score(q, r)
    return _weigh(names, birth, q, r, cf_q, cf_r, None) >= minimum


def _weigh(
    names: float,
    birth: float,
    q: Candidate,
    r: Candidate,
    cf_q: str,
    cf_r: str,
    reasons: list[str] | None,
) -> float:
    """The score from the name and birth evidence; every step grows with ``names``."""
    # A weighted mean of the evidence, then penalties for evidence against.
    value = 0.62 * names + 0.38 * birth
    if names < 0.8:
        value *= 0.6
    if birth < 0.3:
        value *= 0.55
    if q.sex in {"F", "M"} and r.sex in {"F", "M"}:
        if q.sex == r.sex:
            value = min(1.0, value + 0.02)
        else:
            value *= 0.5
            if reasons is not None:
                reasons.append(str(_("different sex")))
    shared = set(q.nationalities) & set(r.nationalities)
    if shared:
        value = min(1.0, value + 0.03)
        if reasons is not None:
            reasons.append(str(_("same nationality")))
    elif q.nationalities and r.nationalities:
        value *= 0.85
    if cf_q and cf_r and cf_q != cf_r:
        value *= 0.4
        if reasons is not None:
            reasons.append(str(_("different codice fiscale")))
    return round(max(0.0, min(1.0, value)), 3)


def may_reach(q: Candidate, r: Candidate, minimum: float) -> bool:
    """False when ``score(q, r)`` is below ``minimum`` whatever the names say.

    The score only grows with the name similarity, so the score of identical names is its
    ceiling: the birth dates, sex, nationalities and codice fiscale (cheap to compare) decide
    it, and the costly name comparison is spared for pairs that cannot reach ``minimum``.
    """
    cf_q = cf_r = ""
    if q.codice_fiscale and r.codice_fiscale:
        cf_q, cf_r = q.codice_fiscale.upper().strip(), r.codice_fiscale.upper().strip()
        if cf_q and cf_r and cf_q == cf_r:
            return True
    birth, _reason = _birth(q, r)
    if _ceiling(birth) < minimum:  # most pairs a block brings: their births disagree
        return False
    return _weigh(1.0, birth, q, r, cf_q, cf_r, None) >= minimum


# Two records agreeing on everything ``_weigh`` rewards (the same sex, a shared nationality,
# no codice fiscale against them): with identical names they reach the highest score their
# birth dates allow.
_AGREEING = Candidate(sex="F", nationalities=["XX"])


@lru_cache(maxsize=64)  # a birth score is one of a dozen values
def _ceiling(birth: float) -> float:
    """The highest score of any pair whose birth dates score ``birth``."""
    return _weigh(1.0, birth, _AGREEING, _AGREEING, "", "", None)
