"""Reads of the registry. Every read takes the membership or the city explicitly."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from lgnet.people import matching
from lgnet.people.models import Contact, PairDecision, Person

# Art. 18 GDPR restriction: who is looking, set for each request by the privacy app's
# middleware. Only a membership that may manage privacy (the city coordinator) opens a
# restricted file; lists leave such files out for everyone else. Jobs and commands run
# with no viewer and see every record.
_viewer: ContextVar = ContextVar("lgnet_person_viewer", default=None)


@contextmanager
def viewing_as(membership) -> Iterator[None]:
    token = _viewer.set(membership)
    try:
        yield
    finally:
        _viewer.reset(token)


def sees_restricted(membership=None) -> bool:
    viewer = membership if membership is not None else _viewer.get()
    return viewer is None or viewer.can("privacy.manage")


def check_not_restricted(person: Person, membership=None) -> None:
    """403 with a clear reason when the file is restricted and the viewer is not its keeper."""
    if person.is_restricted and not sees_restricted(membership):
        raise PermissionDenied(
            _("Processing of this file is restricted: only the city coordinator can open it.")
        )


CANDIDATE_LIMIT = 300  # records read from an index block, at most
SCORED_LIMIT = 30  # records scored in full, after a fast name comparison

# Later apps (cases) say who else may read a person's sensitive sections.
_sensitive_grants: list[Callable] = []


def register_sensitive_grant(grant: Callable) -> None:
    """grant(membership, person) -> bool: e.g. "is on the person's case team"."""
    if grant not in _sensitive_grants:
        _sensitive_grants.append(grant)


def can_see_sensitive(membership, person: Person) -> bool:
    """Vulnerabilities are shown to the city coordinator and to whoever a later capability
    grants (the case team), as DESIGN §3 says."""
    if membership is None or membership.city_id != person.city_id:
        return False
    if membership.can("people.sensitive"):
        return True
    return any(grant(membership, person) for grant in _sensitive_grants)


def read_sensitive(membership, person: Person, *, what: str, channel: str = "web") -> bool:
    """Whether the sensitive section may be shown; when it is, the read is logged."""
    if not can_see_sensitive(membership, person):
        return False
    log_reads(membership, person, [what], channel=channel)
    return True


def on_team(membership, person: Person) -> bool:
    return any(grant(membership, person) for grant in _sensitive_grants)


def log_reads(
    membership,
    person: Person,
    whats: Sequence[str],
    *,
    channel: str = "web",
    outside_team: bool | None = None,
) -> None:
    """Every sensitive section a page or an answer shows of a person, in one insert: a read
    by someone outside the person's case team is flagged for review (DESIGN §3), unless the
    caller says otherwise (``outside_team``: the partner a referral is addressed to)."""
    if membership is None or not whats:
        return
    from lgnet.core.models import AccessLog

    outside = not on_team(membership, person) if outside_team is None else outside_team
    AccessLog.objects.bulk_create(
        AccessLog(
            user_id=membership.user_id,
            membership_id=membership.pk,
            city_id=person.city_id,
            person_id=person.pk,
            what=what,
            channel=channel,
            outside_team=outside,
        )
        for what in dict.fromkeys(whats)
    )


def access_log_of(person: Person):
    """Who read this person's sensitive sections, newest first."""
    from lgnet.core.models import AccessLog

    return AccessLog.objects.filter(city=person.city, person_id=person.pk).select_related("user")


# Later apps say which persons a partner organisation reaches: cases through open referrals,
# activities through enrolments. A partner worker reads only those persons, and only their
# minimal fields.
_partner_reaches: list[Callable] = []


# What a partner may read of a person beyond the names (issue 4: names, sex, birth year,
# languages, phone), in the words of a referral's consent.
PARTNER_FIELDS = frozenset({"sex", "birth_year", "languages", "phone"})
_partner_shares: dict[Callable, Callable] = {}


def register_partner_reach(reach: Callable, *, shares: Callable | None = None) -> None:
    """reach(organisation) -> a queryset of person ids (``.values("person_id")``).

    shares(organisation, person_ids or None) -> {person_id: set of PARTNER_FIELDS}: what
    that reach lets the partner read of each person (a referral: what the person consented
    to share). A reach without it gives every one of PARTNER_FIELDS (an enrolment in the
    partner's activity: the register needs them)."""
    if reach not in _partner_reaches:
        _partner_reaches.append(reach)
    if shares is not None:
        _partner_shares[reach] = shares


def partner_fields(membership, person_ids: Iterable[int] | None = None) -> dict[int, frozenset]:
    """For each person the membership's organisation reaches (among ``person_ids``, or all
    of them), the fields its worker may read: the union over its reaches. One query per
    registered reach, whatever the number of persons."""
    organisation = membership.organisation if membership else None
    ids = None if person_ids is None else list(person_ids)
    if organisation is None or ids == []:
        return {}
    found: dict[int, set[str]] = {}
    for reach in _partner_reaches:
        shares = _partner_shares.get(reach)
        if shares is not None:
            for pk, fields in shares(organisation, ids).items():
                found.setdefault(pk, set()).update(set(fields) & PARTNER_FIELDS)
            continue
        reached = reach(organisation)
        if ids is not None:
            reached = reached.filter(person_id__in=ids)
        for row in reached:
            found.setdefault(row["person_id"], set()).update(PARTNER_FIELDS)
    return {pk: frozenset(fields) for pk, fields in found.items()}


@dataclass(frozen=True)
class PartnerView:
    """A person as a partner's worker reads them: the names, and of the rest only what its
    organisation's open referrals' consents or an enrolment in its activity allow."""

    person: Person
    fields: frozenset

    @property
    def pk(self) -> int:
        return self.person.pk

    @property
    def given_names(self) -> str:
        return self.person.given_names

    @property
    def family_names(self) -> str:
        return self.person.family_names

    @property
    def full_name(self) -> str:
        return self.person.full_name

    @property
    def sex(self) -> str | None:
        return self.person.sex if "sex" in self.fields else None

    @property
    def sex_display(self) -> str:
        return self.person.get_sex_display() if "sex" in self.fields else ""

    @property
    def birth_year(self) -> int | None:
        return self.person.birth_date.year if "birth_year" in self.fields else None

    @property
    def languages(self) -> list[str]:
        return list(self.person.languages) if "languages" in self.fields else []

    @property
    def phone(self) -> str | None:
        return self.person.phone if "phone" in self.fields else None


def partner_views(membership, persons: Iterable[Person]) -> list[PartnerView]:
    """A page of persons as the partner reads them, in one query per reach."""
    persons = list(persons)
    fields = partner_fields(membership, [p.pk for p in persons])
    return [PartnerView(p, fields.get(p.pk, frozenset())) for p in persons]


def persons_for_partner(membership) -> QuerySet[Person]:
    """The persons of the city the membership's organisation currently works with."""
    organisation = membership.organisation if membership else None
    if organisation is None:
        return Person.objects.none()
    reached = Q(pk__in=[])
    for reach in _partner_reaches:
        reached |= Q(pk__in=reach(organisation))
    return (
        Person.objects.filter(city_id=membership.city_id, is_restricted=False)
        .current()
        .filter(reached)
    )


def can_see_full(membership) -> bool:
    return membership is not None and membership.can("people.view")


def list_persons(
    city,
    *,
    q: str = "",
    permit_expiring: bool = False,
    nationality: str = "",
    by_codice_fiscale: bool = True,
    among: QuerySet[Person] | None = None,
) -> QuerySet[Person]:
    """Persons of the city; ``by_codice_fiscale`` is off for roles that may not read it;
    ``among`` narrows the search (a partner's persons)."""
    persons = Person.objects.filter(city=city).current()
    if not sees_restricted():
        persons = persons.exclude(is_restricted=True)
    if among is not None:
        persons = persons.filter(pk__in=among.values("pk"))
    if q:
        folded = matching.normalised_name(q, "")
        found = Q(name_search__icontains=folded) | Q(name_search__trigram_similar=folded)
        if by_codice_fiscale:
            found |= Q(codice_fiscale__iexact=q.strip())
        persons = persons.filter(found)
    if permit_expiring:
        persons = persons.permit_expiring()
    if nationality:
        persons = persons.filter(nationalities__contains=[nationality.upper()])
    return persons.order_by("family_names", "given_names", "id")


def get_person_for(city, person_id: int) -> Person:
    """A person of the city (merged records included, so old links still open)."""
    person = get_object_or_404(
        Person.objects.select_related("city", "merged_into"), city=city, pk=person_id
    )
    check_not_restricted(person)
    return person


@dataclass
class Scored:
    person: Person
    score: float
    reasons: list[str]


def candidate_of(person: Person) -> matching.Candidate:
    return matching.Candidate(
        given_names=person.given_names,
        family_names=person.family_names,
        aliases=list(person.aliases),
        sex=person.sex,
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        nationalities=list(person.nationalities),
        codice_fiscale=person.codice_fiscale,
    )


def _candidate_ids(city, query: matching.Candidate) -> list[int]:
    """Ids of the records worth scoring, from PostgreSQL's indexes, at most CANDIDATE_LIMIT.

    First the records sharing two name words and the birth year (a small, precise block),
    then those sharing one word, until CANDIDATE_LIMIT. All are GIN lookups of exact keys
    with a limit, so the work stays bounded however large the registry grows.
    """
    names = (" ".join([query.given_names, *query.aliases]), query.family_names)
    base = Person.objects.filter(city=city, merged_into__isnull=True)
    year = query.birth_date.year if query.birth_date else None
    pairs, singles = matching.query_keys(*names, birth_year=year)
    ids: list[int] = []
    if year is None:  # no birth date: fall back on the names' trigrams
        folded = matching.normalised_name(*names)
        if folded:
            ids = list(
                base.filter(name_search__trigram_similar=folded).values_list("id", flat=True)[
                    :CANDIDATE_LIMIT
                ]
            )
    else:
        if pairs:
            ids = list(
                base.filter(match_keys__overlap=pairs).values_list("id", flat=True)[
                    :CANDIDATE_LIMIT
                ]
            )
        # Then records sharing one word, family name first: a second spelling that changed
        # one word's skeleton still shares the other.
        family = set(matching.query_keys(query.family_names, birth_year=year)[1])
        for keys in ([k for k in singles if k in family], [k for k in singles if k not in family]):
            if keys and len(ids) < CANDIDATE_LIMIT:
                ids += list(
                    base.filter(match_keys__overlap=keys)
                    .exclude(id__in=ids)
                    .values_list("id", flat=True)[: CANDIDATE_LIMIT - len(ids)]
                )
    cf = query.codice_fiscale.strip().upper()
    if cf:
        ids += [
            i
            for i in base.filter(codice_fiscale__iexact=cf).values_list("id", flat=True)
            if i not in ids
        ]
    return ids


def _shortlist(city, query: matching.Candidate, ids: list[int]) -> list[Person]:
    """The SCORED_LIMIT candidates whose folded names are closest, fetched whole."""
    if len(ids) > SCORED_LIMIT:
        name = matching.normalised_name(
            " ".join([query.given_names, *query.aliases]), query.family_names
        )
        rows = Person.objects.filter(city=city, id__in=ids).values_list("id", "name_search")
        best = process.extract(name, dict(rows), scorer=fuzz.token_sort_ratio, limit=SCORED_LIMIT)
        cf = query.codice_fiscale.strip().upper()
        keep = {key for _name, _score, key in best}
        if cf:
            keep |= set(
                Person.objects.filter(id__in=ids, codice_fiscale__iexact=cf).values_list(
                    "id", flat=True
                )
            )
        ids = list(keep)
    return list(Person.objects.filter(city=city, id__in=ids))


def find_matches(
    city,
    query: matching.Candidate,
    *,
    limit: int = 5,
    minimum: float = 0.3,
    exclude: set[int] | None = None,
) -> list[Scored]:
    """The likely existing records for a person being registered, best first."""
    exclude = exclude or set()
    found = []
    for person in _shortlist(city, query, _candidate_ids(city, query)):
        if person.pk in exclude:
            continue
        match = matching.score(query, candidate_of(person))
        if match.score >= minimum:
            found.append(Scored(person, match.score, match.reasons))
    found.sort(key=lambda s: (-s.score, s.person.pk))
    return found[:limit]


def find_matches_many(
    city,
    queries: Sequence[matching.Candidate],
    *,
    limit: int = 5,
    minimum: float = 0.3,
    created_before: datetime | None = None,
) -> list[list[Scored]]:
    """``find_matches`` for many persons at once (a batch of an import), in four queries
    for the lot instead of four or more per person: the same blocking keys, shortlist and
    score. ``created_before`` searches the registry as it stood then (an import compares
    the records it wrote itself as rows of its file)."""
    plans = [_blocking_plan(query) for query in queries]
    keys = sorted({key for plan in plans if plan for group in plan for key in group})
    by_key = _ids_by_key(city, keys, created_before) if keys else {}
    by_cf = _ids_by_codice_fiscale(
        city, {q.codice_fiscale.strip().upper() for q in queries} - {""}, created_before
    )
    candidates: list[list[int]] = []
    for query, plan in zip(queries, plans, strict=True):
        if plan is None:  # no birth year: the names' trigrams, one query as find_matches does
            ids = _candidate_ids(city, query)
        else:
            ids = []
            seen: set[int] = set()
            for group in plan:
                for key in group:
                    for pk in by_key.get(key, ()):
                        if len(ids) < CANDIDATE_LIMIT and pk not in seen:
                            seen.add(pk)
                            ids.append(pk)
            ids += [
                pk for pk in by_cf.get(query.codice_fiscale.strip().upper(), ()) if pk not in seen
            ]
        candidates.append(ids)
    same_cf = [set(by_cf.get(q.codice_fiscale.strip().upper(), ())) for q in queries]
    shortlists = _shortlists(city, queries, candidates, same_cf)
    others = _candidates_by_id(city, {pk for ids in shortlists for pk in ids}, created_before)
    scored: list[list[tuple[int, matching.Match]]] = []
    for query, ids in zip(queries, shortlists, strict=True):
        found = []
        for pk in ids:
            other = others.get(pk)
            if other is None or not matching.may_reach(query, other, minimum):
                continue
            if not matching.reaches(query, other, minimum):  # the reasons only for a match
                continue
            match = matching.score(query, other)
            if match.score >= minimum:
                found.append((pk, match))
        found.sort(key=lambda item: (-item[1].score, item[0]))
        scored.append(found[:limit])
    # Whole records only for the matches (the candidates were compared on their fields), by
    # primary key: _candidates_by_id kept the city's records only.
    matched = {pk for found in scored for pk, _match in found}
    persons = Person.objects.in_bulk(matched) if matched else {}
    return [
        [Scored(persons[pk], match.score, match.reasons) for pk, match in found] for found in scored
    ]


def _candidates_by_id(
    city, ids: set[int], created_before: datetime | None
) -> dict[int, matching.Candidate]:
    """The matcher's fields of the city's current records among ``ids``. By primary key
    only, the city and the rest checked on each row (see _shortlists)."""
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, city_id, merged_into_id IS NULL"
            " AND (%s::timestamptz IS NULL OR created_at < %s::timestamptz),"
            " given_names, family_names, aliases, sex, birth_date, birth_date_precision,"
            " nationalities, codice_fiscale FROM people_person WHERE id = ANY(%s)",
            [created_before, created_before, sorted(ids)],
        )
        rows = cursor.fetchall()
    candidates = {}
    for pk, city_id, current, *fields in rows:
        if city_id == city.pk and current:
            given, family, aliases, sex, born, precision, nationalities, cf = fields
            candidates[pk] = matching.Candidate(
                given, family, list(aliases), sex, born, precision, list(nationalities), cf
            )
    return candidates


def _blocking_plan(query: matching.Candidate) -> tuple[list[str], ...] | None:
    """The key groups ``_candidate_ids`` asks for, in its order; None without a birth year."""
    year = query.birth_date.year if query.birth_date else None
    if year is None:
        return None
    names = (" ".join([query.given_names, *query.aliases]), query.family_names)
    pairs, singles = matching.query_keys(*names, birth_year=year)
    family = set(matching.query_keys(query.family_names, birth_year=year)[1])
    return (pairs, [k for k in singles if k in family], [k for k in singles if k not in family])


def _ids_by_key(city, keys: list[str], created_before: datetime | None) -> dict[str, list[int]]:
    """For each blocking key, the ids of at most CANDIDATE_LIMIT current records holding it:
    one GIN lookup per key, all in one statement.

    "OFFSET 0" keeps the city out of the inner scan, so that only the keys' index can serve
    it: after a bulk load the statistics say a city has a handful of rows, and the planner
    would otherwise read the whole city for each key (a fifth of a second each, measured).
    """
    sql = """
        SELECT k.key, ARRAY(
            SELECT p.id FROM (
                SELECT p.id, p.city_id, p.merged_into_id, p.created_at FROM people_person p
                WHERE p.match_keys @> ARRAY[k.key]::varchar(100)[] OFFSET 0
            ) p
            WHERE p.city_id = %s AND p.merged_into_id IS NULL
              AND (%s::timestamptz IS NULL OR p.created_at < %s::timestamptz)
            LIMIT %s)
        FROM unnest(%s::varchar(100)[]) AS k(key)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [city.pk, created_before, created_before, CANDIDATE_LIMIT, keys])
        return {key: ids for key, ids in cursor.fetchall() if ids}


def _ids_by_codice_fiscale(
    city, cfs: set[str], created_before: datetime | None
) -> dict[str, list[int]]:
    """The current records of the city holding each codice fiscale, one index lookup each
    (the inner scan by the code alone, for the reason _ids_by_key gives)."""
    if not cfs:
        return {}
    sql = """
        SELECT c.cf, p.id FROM unnest(%s::text[]) AS c(cf) CROSS JOIN LATERAL (
            SELECT p.id FROM (
                SELECT p.id, p.city_id, p.merged_into_id, p.created_at FROM people_person p
                WHERE upper(p.codice_fiscale) = c.cf OFFSET 0
            ) p
            WHERE p.city_id = %s AND p.merged_into_id IS NULL
              AND (%s::timestamptz IS NULL OR p.created_at < %s::timestamptz)
            LIMIT %s) p
    """
    by_cf: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [sorted(cfs), city.pk, created_before, created_before, CANDIDATE_LIMIT])
        for cf, pk in cursor.fetchall():
            by_cf.setdefault(cf, []).append(pk)
    return by_cf


def _shortlists(
    city,
    queries: Sequence[matching.Candidate],
    candidates: list[list[int]],
    same_cf: list[set[int]],
) -> list[list[int]]:
    """``_shortlist`` for every query: the SCORED_LIMIT closest folded names (and the same
    codice fiscale), the names of all the candidates read in one query."""
    crowded = {pk for ids in candidates if len(ids) > SCORED_LIMIT for pk in ids}
    names: dict[int, str] = {}
    if crowded:
        # By primary key only (the ids are the city's, from _ids_by_key), the city checked
        # on each row: with the city in the condition, stale statistics can make the planner
        # read the whole city and compare each row with every id.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, city_id, name_search FROM people_person WHERE id = ANY(%s)",
                [sorted(crowded)],
            )
            names = {pk: name for pk, city_id, name in cursor.fetchall() if city_id == city.pk}
    shortlists = []
    for query, ids, cf_ids in zip(queries, candidates, same_cf, strict=True):
        if len(ids) <= SCORED_LIMIT:
            shortlists.append(ids)
            continue
        name = matching.normalised_name(
            " ".join([query.given_names, *query.aliases]), query.family_names
        )
        choices = {pk: names[pk] for pk in ids if pk in names}
        best = process.extract(name, choices, scorer=fuzz.token_sort_ratio, limit=SCORED_LIMIT)
        keep = [pk for _name, _score, pk in best]
        shortlists.append(keep + sorted(cf_ids - set(keep)))
    return shortlists


def likely_pairs(city, *, minimum: float = matching.POSSIBLE, limit: int = 50) -> list[dict]:
    """Pairs of records of the city that may be one person, for the review page."""
    sql = """
        SELECT a.id, b.id FROM people_person a
        JOIN people_person b ON a.city_id = b.city_id AND a.id < b.id
         AND a.match_keys && b.match_keys
        WHERE a.city_id = %s AND a.merged_into_id IS NULL AND b.merged_into_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM people_pairdecision d
                          WHERE d.first_id = a.id AND d.second_id = b.id)
        LIMIT 5000
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [city.pk])
        pairs = cursor.fetchall()
    decided = set(PairDecision.objects.filter(city=city).values_list("first_id", "second_id"))
    pairs = [p for p in pairs if p not in decided]
    ids = {i for pair in pairs for i in pair}
    persons = Person.objects.filter(city=city).in_bulk(ids)
    scored = []
    for a_id, b_id in pairs:
        a, b = persons[a_id], persons[b_id]
        match = matching.score(candidate_of(a), candidate_of(b))
        if match.score >= minimum:
            scored.append({"a": a, "b": b, "score": match.score, "reasons": match.reasons})
    scored.sort(key=lambda row: -row["score"])
    return scored[:limit]


def list_contacts(membership, *, person: Person | None = None) -> QuerySet[Contact]:
    """Outreach workers see the contacts they recorded; the desk sees the city's."""
    contacts = Contact.objects.filter(city=membership.city).select_related(
        "city", "site", "person", "recorded_by"
    )
    if not membership.can("people.view"):
        contacts = contacts.filter(recorded_by=membership.user)
    if person is not None:
        contacts = contacts.filter(person=person)
    return contacts.order_by("-occurred_at", "-id")


def get_contact_for(membership, contact_id: int) -> Contact:
    return get_object_or_404(list_contacts(membership), pk=contact_id)


def network_linkage_rows(cities) -> list[tuple[int, str, str]]:
    """Pseudonymous keys only, for the network's unique-person count (no names, no ids)."""
    from django_scopes import scopes_disabled

    # Network-wide on purpose: only HMAC keys leave this function, never a person.
    with scopes_disabled():
        return list(
            Person.objects.filter(city__in=cities, merged_into__isnull=True).values_list(
                "city_id", "linkage_cf", "linkage_bloom"
            )
        )
