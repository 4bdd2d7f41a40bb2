"""Pseudonymous keys that let the network count unique people without seeing anyone.

Each city computes, with the network's secret key, for every person:
- ``linkage_cf``: HMAC-SHA256 of the normalised codice fiscale (empty without one);
- ``linkage_bloom``: a 512-bit Bloom filter of the name's bigrams and transliteration
  skeletons, keyed per bit position, with the birth year in its own HMAC block.

The network compares keys, never names: equal ``linkage_cf``, or Bloom filters with a Dice
similarity of at least ``BLOOM_THRESHOLD`` inside the same birth-year block, count as one
person. See docs/privacy-linkage.md for the reasoning.
"""

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

from lgnet.people.matching import skeleton, tokens

BLOOM_BITS = 512
BLOOM_HASHES = 12
BLOOM_THRESHOLD = 0.85


def _key() -> bytes:
    return settings.LGNET_LINKAGE_KEY.encode()


def cf_key(codice_fiscale: str) -> str:
    value = "".join(codice_fiscale.split()).upper()
    if not value:
        return ""
    return hmac.new(_key(), b"cf:" + value.encode(), hashlib.sha256).hexdigest()


def year_block(birth_year: int | None) -> str:
    if birth_year is None:
        return ""
    return _year_block(_key(), birth_year)


@lru_cache(maxsize=512)
def _year_block(key: bytes, birth_year: int) -> str:
    return hmac.new(key, f"year:{birth_year}".encode(), hashlib.sha256).hexdigest()[:16]


def _features(given: str, family: str) -> set[str]:
    words = sorted(tokens(given) + tokens(family))  # sorted: swapped names encode alike
    features = set()
    for word in words:
        features |= _word_features(word)
    return features


def _word_features(word: str) -> set[str]:
    """One name word's features: its bigrams (with the word's edges) and its skeleton."""
    padded = f"_{word}_"
    return {padded[i : i + 2] for i in range(len(padded) - 1)} | {"sk:" + skeleton(word)}


def bloom(given: str, family: str, birth_year: int | None) -> str:
    """The Bloom filter as hex, prefixed by the birth-year block: "<block>:<bits>"."""
    bits = 0
    key = _key()
    # The filter of all the features (``_features``) is the union of each word's.
    for word in tokens(given) + tokens(family):
        bits |= _word_bits(key, word)
    return f"{year_block(birth_year)}:{bits:0{BLOOM_BITS // 4}x}"


# Names repeat: a word's bits are computed once per process and key (bounded: memory flat).
@lru_cache(maxsize=16384)
def _word_bits(key: bytes, word: str) -> int:
    """The filter's bits of one name word: its bigrams and its skeleton."""
    bits = 0
    for feature in _word_features(word):
        bits |= _feature_bits(key, feature)
    return bits


# Every person shares most bigrams ("_m", "mo", ...) with the others, and names repeat: each
# feature's bits are computed once per process and key rather than 12 HMACs again for each
# person (bounded: memory flat).
@lru_cache(maxsize=32768)
def _feature_bits(key: bytes, feature: str) -> int:
    """The filter's bits of one feature: its position in each of the keyed hashes."""
    bits = 0
    for i in range(BLOOM_HASHES):
        digest = hmac.digest(key, f"{i}:{feature}".encode(), "sha256")
        bits |= 1 << (int.from_bytes(digest[:4], "big") % BLOOM_BITS)
    return bits


def dice(a: str, b: str) -> float:
    x, y = int(a.split(":")[1], 16), int(b.split(":")[1], 16)
    total = x.bit_count() + y.bit_count()
    return 2 * (x & y).bit_count() / total if total else 0.0


def count_unique(rows: list[tuple[int, str, str]]) -> dict:
    """rows: (city_id, linkage_cf, linkage_bloom). Answers totals, never identities."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    by_cf: dict[str, int] = {}
    by_block: dict[str, list[int]] = {}
    for index, (_city, cf, bloom_hex) in enumerate(rows):
        find(index)
        if cf:
            if cf in by_cf:
                union(index, by_cf[cf])
            else:
                by_cf[cf] = index
        if bloom_hex and ":" in bloom_hex:
            by_block.setdefault(bloom_hex.split(":")[0], []).append(index)
    for members in by_block.values():
        for pos, i in enumerate(members):
            for j in members[pos + 1 :]:
                if rows[i][0] != rows[j][0] and dice(rows[i][2], rows[j][2]) >= BLOOM_THRESHOLD:
                    union(i, j)
    clusters: dict[int, set[int]] = {}
    for index, (city, _cf, _b) in enumerate(rows):
        clusters.setdefault(find(index), set()).add(city)
    return {
        "records": len(rows),
        "unique_persons": len(clusters),
        "in_several_cities": sum(1 for cities in clusters.values() if len(cities) > 1),
    }


def refresh_network_count(edition):
    """Count the edition's unique persons from the cities' pseudonymous keys and store the
    figures (a background task or a command calls this; pages only read the stored row)."""
    from django.utils import timezone

    from lgnet.people.models import NetworkCount
    from lgnet.people.selectors import network_linkage_rows

    cities = list(edition.participations.values_list("city_id", flat=True))
    counts = count_unique(network_linkage_rows(cities))
    row, _created = NetworkCount.objects.update_or_create(
        edition=edition,
        defaults={
            "cities": len(cities),
            "records": counts["records"],
            "unique_persons": counts["unique_persons"],
            "in_several_cities": counts["in_several_cities"],
            "computed_at": timezone.now(),
        },
    )
    return row


def published(row) -> dict:
    """The stored count as the network may see it: a figure from 1 to the disclosure
    threshold minus one is shown as suppressed, like every other network figure."""
    from django.conf import settings

    threshold = getattr(settings, "LGNET_DISCLOSURE_THRESHOLD", 5)

    def safe(value: int):
        return None if 0 < value < threshold else value

    if row is None:
        return {
            "computed_at": None,
            "records": None,
            "unique_persons": None,
            "in_several_cities": None,
            "cities": None,
        }
    return {
        "computed_at": row.computed_at,
        "cities": row.cities,
        "records": safe(row.records),
        "unique_persons": safe(row.unique_persons),
        "in_several_cities": safe(row.in_several_cities),
    }
