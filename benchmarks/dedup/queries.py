"""The labelled query set and the find_matches measurements on it.

* duplicate queries: a fresh ``names.variant`` of a registered original (its true record is
  in the registry, ``external_id = "e<entity>"``);
* new-people queries: ``names.person`` with entities beyond every registry size (not in it).

The originals are drawn from the smallest registry, so one query set serves every size.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass

from lgnet.people import matching, names, selectors
from lgnet.people.models import Person

from .registry import TODAY

TOP = 5


@dataclass
class Query:
    kind: str  # "duplicate" or "new"
    record: names.Record
    truth: int | None  # the entity whose record is in the registry, None for new people


def make(seed: int, registered: list[names.Record], count: int, new_base: int) -> list[Query]:
    rng = random.Random(f"lgnet-dedup-queries-{seed}")
    chosen = rng.sample(range(len(registered)), count)
    queries = [
        Query("duplicate", names.variant(rng, registered[i]), registered[i].entity) for i in chosen
    ]
    queries += [
        Query("new", names.person(rng, entity=new_base + k, today=TODAY), None)
        for k in range(count)
    ]
    rng.shuffle(queries)
    return queries


def candidate(record: names.Record) -> matching.Candidate:
    return matching.Candidate(
        given_names=record.given_names,
        family_names=record.family_names,
        aliases=[],
        sex=record.sex,
        birth_date=record.birth_date,
        birth_date_precision=record.birth_date_precision,
        nationalities=list(record.nationalities),
        codice_fiscale=record.codice_fiscale,
    )


def entity_of(person: Person) -> int | None:
    ext = person.external_id
    return int(ext[1:]) if ext.startswith("e") else None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def run(city, queries: list[Query]) -> tuple[dict, list[dict]]:
    """Time every find_matches call and judge its answer; returns (figures, failures).

    One untimed pass first: the timed pass measures a warm registry (pages in memory), as a
    city's registry in daily use is.
    """
    for query in queries:
        selectors.find_matches(city, candidate(query.record), limit=TOP)
    times: list[float] = []
    found_in_top = alerts = right_alerts = new_alerted = namesakes = 0
    failures: list[dict] = []
    results = []
    for query in queries:
        asked = candidate(query.record)
        start = time.perf_counter()
        found = selectors.find_matches(city, asked, limit=TOP)
        times.append((time.perf_counter() - start) * 1000)
        results.append((query, asked, found))

    duplicates = [r for r in results if r[0].kind == "duplicate"]
    new = [r for r in results if r[0].kind == "new"]
    for query, asked, found in results:
        entities = [entity_of(s.person) for s in found]
        hit = query.truth is not None and query.truth in entities
        if query.kind == "duplicate":
            found_in_top += hit
            if not hit:
                failures.append(_failure("missed duplicate", city, query, asked, found))
        alerted = bool(found) and found[0].score >= matching.LIKELY
        if alerted:
            alerts += 1
            if query.truth is not None and entities[0] == query.truth:
                right_alerts += 1
            else:
                new_alerted += query.kind == "new"
                failure = _failure("wrong alert", city, query, asked, found)
                failure["namesake"] = namesake(query.record, found[0].person)
                namesakes += failure["namesake"]
                failures.append(failure)
    figures = {
        "queries": len(results),
        "duplicate_queries": len(duplicates),
        "new_queries": len(new),
        "recall_at_5": round(found_in_top / len(duplicates), 4),
        "alerts": alerts,
        "alert_precision": round(right_alerts / alerts, 4) if alerts else None,
        "duplicates_alerted_on_true_record": round(right_alerts / len(duplicates), 4),
        "new_people_wrongly_alerted": round(new_alerted / len(new), 4),
        "wrong_alerts": alerts - right_alerts,
        "wrong_alerts_on_a_namesake": namesakes,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "p99_ms": round(percentile(times, 0.99), 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "max_ms": round(max(times), 2),
        "missed_duplicates_why": dict(
            Counter(f["why"] for f in failures if f["kind"] == "missed duplicate")
        ),
        "wrong_alerts_top_reasons": dict(
            Counter(
                reason
                for f in failures
                if f["kind"] == "wrong alert"
                for reason in f["returned"][0]["reasons"]
            ).most_common()
        ),
        "slowest": [
            {"ms": round(ms, 1), "kind": q.kind, "query": _describe(q.record)}
            for ms, q in sorted(
                ((ms, r[0]) for ms, r in zip(times, results, strict=True)),
                key=lambda pair: -pair[0],
            )[:5]
        ],
    }
    return figures, failures


def _describe(record: names.Record | Person) -> dict:
    return {
        "given_names": record.given_names,
        "family_names": record.family_names,
        "sex": record.sex,
        "birth_date": record.birth_date.isoformat(),
        "precision": record.birth_date_precision,
        "nationalities": list(record.nationalities),
    }


def _failure(kind: str, city, query: Query, asked, found) -> dict:
    """What the lead needs to tune the matcher: the query, the truth, what came first."""
    out = {"kind": kind, "query_kind": query.kind, "query": _describe(query.record)}
    out["returned"] = [
        {
            "entity": entity_of(s.person),
            "score": s.score,
            **_describe(s.person),
            "reasons": s.reasons,
        }
        for s in found
    ]
    if query.truth is not None:
        true = Person.objects.get(city=city, external_id=f"e{query.truth}")
        match = matching.score(asked, selectors.candidate_of(true))
        block = selectors._candidate_ids(city, asked)
        shortlist = [p.pk for p in selectors._shortlist(city, asked, block)]
        if true.pk in shortlist:
            where = f"read from the index and scored ({len(shortlist)} scored of {len(block)})"
        elif true.pk in block:
            where = f"read from the index, cut by the fast name comparison ({len(block)} read)"
        else:
            where = "not read: no shared name key in the birth year window"
        block = shortlist
        if true.pk not in block:
            why = where
        elif match.score < 0.3:
            why = "true record scored below find_matches' minimum 0.3"
        else:
            why = "true record outranked"
        out["true"] = {
            "entity": query.truth,
            "score": match.score,
            "reasons": match.reasons,
            **_describe(true),
            "block": where,
        }
        out["why"] = why
    return out


def block_sizes(city, queries: list[Query]) -> dict:
    """The records read from PostgreSQL's indexes for a sample of the queries (at most
    CANDIDATE_LIMIT) and the time that read takes; the rest of a call is scoring."""
    sizes, fetch = [], []
    limit = selectors.CANDIDATE_LIMIT
    for query in queries:
        start = time.perf_counter()
        ids = selectors._candidate_ids(city, candidate(query.record))
        fetch.append((time.perf_counter() - start) * 1000)
        sizes.append(len(ids))
    return {
        "sampled": len(sizes),
        "median": statistics.median(sizes),
        "p95": percentile(sizes, 0.95),
        "share_at_candidate_limit": round(sum(s >= limit for s in sizes) / len(sizes), 3),
        "read_median_ms": round(statistics.median(fetch), 2),
        "read_p95_ms": round(percentile(fetch, 0.95), 2),
    }


def namesake(a, b) -> bool:
    """The same name up to spelling (transliteration skeletons), in any order."""

    def skeletons(x) -> list[str]:
        return sorted(
            matching.skeleton(t) for t in matching.tokens(f"{x.given_names} {x.family_names}")
        )

    return skeletons(a) == skeletons(b)


def as_dict(query: Query) -> dict:
    return asdict(query)
