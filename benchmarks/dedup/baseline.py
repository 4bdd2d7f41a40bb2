"""The same labelled queries through the Python Record Linkage Toolkit (``recordlinkage``).

Configured as the toolkit's own tutorial links two person files, on the fields both sides have:

* preprocessing: ``recordlinkage.preprocessing.clean`` on the names (lower case, accents
  stripped, punctuation dropped, hyphens to spaces);
* indexing: ``Index().block("birth_year")`` united with
  ``Index().sortedneighbourhood("family_names", window=9)``;
* comparison: Jaro-Winkler on given names and on family names, exact on sex and birth year;
* classification: the tutorial's rule, the sum of the four comparisons with the names counted
  as agreeing at Jaro-Winkler >= 0.85, a match at a sum of 3 or more; and, unsupervised, the
  toolkit's ``ECMClassifier`` on the same comparisons binarised at 0.85.

Each query's matched pairs are ranked by that sum, then by the two Jaro-Winkler similarities,
so "top 5" and "top candidate" mean what they mean for ``find_matches``.
"""

from __future__ import annotations

import time

import pandas as pd
import recordlinkage
from recordlinkage.preprocessing import clean

from lgnet.people import names

from .queries import TOP, Query

WINDOW = 9
THRESHOLD = 0.85
MATCH_SUM = 3


def _frame(records: list[names.Record], index) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "given_names": [r.given_names for r in records],
            "family_names": [r.family_names for r in records],
            "sex": [r.sex for r in records],
            "birth_year": [r.birth_date.year for r in records],
        },
        index=pd.Index(index),
    )
    for column in ("given_names", "family_names"):
        frame[column] = clean(frame[column], strip_accents="unicode")
    return frame


def _judge(scored: pd.DataFrame, matched: pd.Series, queries: list[Query]) -> dict:
    truth = pd.Series({i: q.truth for i, q in enumerate(queries)}, dtype="float64")
    duplicates = [i for i, q in enumerate(queries) if q.kind == "duplicate"]
    new = [i for i, q in enumerate(queries) if q.kind == "new"]
    frame = scored.assign(matched=matched.to_numpy())
    frame["true"] = frame["entity"] == frame["query"].map(truth)
    candidate_true = set(frame.loc[frame["true"], "query"])
    hits = frame[frame["matched"]].sort_values(
        ["query", "sum", "jw"], ascending=[True, False, False], kind="stable"
    )
    hits = hits.assign(rank=hits.groupby("query").cumcount())
    top = hits[hits["rank"] < TOP]
    first = hits[hits["rank"] == 0]
    matched_true = set(hits.loc[hits["true"], "query"])
    top_true = set(top.loc[top["true"], "query"])
    alerted = set(first["query"])
    right = set(first.loc[first["true"], "query"])
    return {
        "pairs_completeness": round(len(candidate_true) / len(duplicates), 4),
        "recall_matched": round(len(matched_true) / len(duplicates), 4),
        "recall_at_5": round(len(top_true) / len(duplicates), 4),
        "queries_with_a_match": len(alerted),
        "alert_precision": round(len(right) / len(alerted), 4) if alerted else None,
        "pair_precision": round(int(hits["true"].sum()) / len(hits), 4) if len(hits) else None,
        "matched_pairs": len(hits),
        "new_people_matched": round(len(alerted & set(new)) / len(new), 4),
    }


def run(registry: list[names.Record], queries: list[Query]) -> dict:
    start = time.perf_counter()
    left = _frame([q.record for q in queries], range(len(queries)))
    right = _frame(registry, [r.entity for r in registry])
    cleaned = time.perf_counter()

    indexer = recordlinkage.Index()
    indexer.block("birth_year")
    indexer.sortedneighbourhood("family_names", window=WINDOW)
    pairs = indexer.index(left, right)
    indexed = time.perf_counter()

    compare = recordlinkage.Compare()
    compare.string("given_names", "given_names", method="jarowinkler", label="given")
    compare.string("family_names", "family_names", method="jarowinkler", label="family")
    compare.exact("sex", "sex", label="sex")
    compare.exact("birth_year", "birth_year", label="birth_year")
    features = compare.compute(pairs, left, right)
    compared = time.perf_counter()

    binary = features.copy()
    for column in ("given", "family"):
        binary[column] = (features[column] >= THRESHOLD).astype(int)
    total = binary.sum(axis=1)
    by_sum = total >= MATCH_SUM
    classified = time.perf_counter()

    ecm = recordlinkage.ECMClassifier(binarize=THRESHOLD)
    ecm_links = ecm.fit_predict(features)
    by_ecm = pd.Series(features.index.isin(ecm_links), index=features.index)
    ecm_done = time.perf_counter()

    scored = pd.DataFrame(
        {
            "query": features.index.get_level_values(0),
            "entity": features.index.get_level_values(1),
            "sum": total.to_numpy(),
            "jw": (features["given"] + features["family"]).to_numpy(),
        }
    )
    n = len(queries)
    common = {
        "registry": len(registry),
        "queries": n,
        "candidate_pairs": len(pairs),
        "candidate_pairs_per_query": round(len(pairs) / n, 1),
        "clean_s": round(cleaned - start, 3),
        "index_s": round(indexed - cleaned, 3),
        "compare_s": round(compared - indexed, 3),
    }
    sum_total = classified - start
    ecm_total = (compared - start) + (ecm_done - classified)
    return {
        **common,
        "sum_rule": {
            **_judge(scored, by_sum, queries),
            "total_s": round(sum_total, 3),
            "ms_per_query": round(sum_total / n * 1000, 3),
        },
        "ecm": {
            **_judge(scored, by_ecm, queries),
            "total_s": round(ecm_total, 3),
            "ms_per_query": round(ecm_total / n * 1000, 3),
        },
        "config": {
            "clean": "recordlinkage.preprocessing.clean(strip_accents='unicode') on names",
            "index": f"block('birth_year') | sortedneighbourhood('family_names', window={WINDOW})",
            "compare": "jarowinkler(given), jarowinkler(family), exact(sex), exact(birth_year)",
            "sum_rule": f"names agree at JW >= {THRESHOLD}; match if the 4 agreements sum >= "
            f"{MATCH_SUM}",
            "ecm": f"ECMClassifier(binarize={THRESHOLD}) on the same 4 comparisons",
        },
    }
