"""Pages of the registry: persons, intake with live matches, contacts, duplicates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lgnet.accounts.permissions import requires
from lgnet.core.exceptions import RuleBroken
from lgnet.network import selectors as network_selectors
from lgnet.people import matching, panels, selectors, services
from lgnet.people.choices import COMMON_LANGUAGES
from lgnet.people.forms import MERGEABLE, ContactForm, HouseholdForm, LinkContactForm, PersonForm


def _can_read_persons(request: HttpRequest) -> None:
    membership = request.membership
    if not (
        membership.can("people.view")
        or membership.can("people.view_minimal")
        or membership.can("people.view_referred")
    ):
        raise PermissionDenied


def _partner_only(request: HttpRequest) -> bool:
    """A partner's worker reads only the persons referred to or enrolled with its
    organisation, and only their minimal fields."""
    membership = request.membership
    return not (membership.can("people.view") or membership.can("people.view_minimal"))


def _show_errors(form, error: Exception) -> None:
    if isinstance(error, RuleBroken):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@requires("city.view")
def person_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    _can_read_persons(request)
    # Searches by name are POSTed: names must not end up in URLs and access logs.
    data = request.POST if request.method == "POST" else request.GET
    q = _clean_text(data.get("q", ""))[:100]
    expiring = data.get("permit") == "expiring" and not _partner_only(request)
    persons = selectors.list_persons(
        request.city,
        q=q,
        permit_expiring=expiring,
        by_codice_fiscale=selectors.can_see_full(request.membership),
        among=selectors.persons_for_partner(request.membership) if _partner_only(request) else None,
    )
    page = Paginator(persons, 50).get_page(request.GET.get("page"))
    if _partner_only(request):
        page.object_list = selectors.partner_views(request.membership, page.object_list)
    context = {
        "page": page,
        "q": q,
        "expiring": expiring,
        "full": selectors.can_see_full(request.membership),
        "partner": _partner_only(request),
    }
    template = "people/person_list.html#results" if request.htmx else "people/person_list.html"
    return render(request, template, context)


def _clean_text(value: str) -> str:
    """Typed text without the characters PostgreSQL cannot store (NUL)."""
    return (value or "").replace("\x00", "")


def _matches_for(request: HttpRequest, data) -> list:
    birth = data.get("birth_date") or None
    year = data.get("birth_year") or ""
    from datetime import date

    try:
        if not birth and str(year).isdigit() and 1900 <= int(year) <= 2100:
            birth, precision = date(int(year), 1, 1), "year"
        elif birth:
            birth, precision = (
                date.fromisoformat(str(birth)),
                data.get("birth_date_precision") or "day",
            )
        else:
            precision = "day"
    except ValueError:
        birth, precision = None, "day"
    query = matching.Candidate(
        given_names=_clean_text(data.get("given_names", ""))[:150],
        family_names=_clean_text(data.get("family_names", ""))[:150],
        sex=data.get("sex") or "U",
        birth_date=birth,
        birth_date_precision=precision,
        nationalities=[
            data.get(key, "").upper()[:2]
            for key in ("nationality", "second_nationality")
            if data.get(key)
        ],
        codice_fiscale=_clean_text(data.get("codice_fiscale", ""))[:20],
    )
    if len((query.given_names + query.family_names).strip()) < 3:
        return []
    return selectors.find_matches(request.city, query, limit=5, minimum=matching.POSSIBLE)


@require_POST
@requires("people.register_minimal")
def person_candidates(request: HttpRequest, city_slug: str) -> HttpResponse:
    """The live list of likely existing records while the operator types (htmx)."""
    data = request.POST
    return render(
        request,
        "people/person_form.html#candidates",
        {"matches": _matches_for(request, data), "likely": matching.LIKELY},
    )


@requires("people.register_minimal")
def person_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Search before create: candidates show as the operator types."""
    minimal = not request.membership.can("people.edit")
    form = PersonForm(request.POST or None, minimal=minimal)
    matches = []
    if request.method == "POST":
        matches = _matches_for(request, request.POST)
        confirmed = request.POST.get("confirm_new") == "1"
        likely = [m for m in matches if m.score >= matching.LIKELY]
        if form.is_valid() and (confirmed or not likely):
            data = {
                k: v
                for k, v in form.cleaned_data.items()
                if v not in (None, "") or k in ("dwelling",)
            }
            try:
                person = services.register_person(
                    actor=request.user, city=request.city, data=data, minimal=minimal
                )
                messages.success(request, _("Person registered."))
                return redirect(person)
            except (RuleBroken, ValidationError) as error:
                _show_errors(form, error)
        elif form.is_valid():
            form.add_error(
                None,
                _(
                    "This person may already be registered: open the record "
                    "below, or confirm that this is someone new."
                ),
            )
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "matches": matches,
            "likely": matching.LIKELY,
            "creating": True,
            "ask_confirm": any(m.score >= matching.LIKELY for m in matches),
        },
        status=400 if request.method == "POST" else 200,
    )


@requires("city.view")
def person_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    _can_read_persons(request)
    if _partner_only(request):
        person = get_object_or_404(selectors.persons_for_partner(request.membership), pk=pk)
        (seen,) = selectors.partner_views(request.membership, [person])
        return render(
            request,
            "people/person_partner.html",
            {
                "person": person,
                "seen": seen,
                "partner_panels": panels.partner_panels_for(request, person),
            },
        )
    person = selectors.get_person_for(request.city, pk)
    full = selectors.can_see_full(request.membership)
    sensitive = selectors.can_see_sensitive(request.membership, person)
    # Legal status and permit show to the city's caseworkers (intake and the permit tasks
    # need them: decision 0005, addendum); each read is logged, with the vulnerabilities,
    # in one insert.
    reads = [*(["legal_status"] if full else []), *(["vulnerabilities"] if sensitive else [])]
    selectors.log_reads(request.membership, person, reads)
    context = {"person": person, "full": full, "sensitive": sensitive}
    if full:
        context.update(
            {
                "household": person.household.select_related("relative"),
                "contacts": selectors.list_contacts(request.membership, person=person)[:20],
                "merges": person.merges.select_related("merged", "merged_by"),
                "panels": panels.panels_for(request, person),
                "access_log": selectors.access_log_of(person)[:50]
                if request.membership.can("audit.view")
                else None,
                "household_form": HouseholdForm(),
            }
        )
    return render(request, "people/person_detail.html", context)


@requires("people.edit")
def person_edit(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    person = selectors.get_person_for(request.city, pk)
    if person.merged_into_id:
        raise Http404
    sensitive = selectors.can_see_sensitive(request.membership, person)
    initial = {
        name: getattr(person, name)
        for name in PersonForm.base_fields
        if hasattr(person, name) and name != "birth_year"
    }
    nationalities = [*person.nationalities, "", ""]
    initial["nationality"], initial["second_nationality"] = nationalities[0], nationalities[1]
    initial["languages"] = [c for c in person.languages if c in COMMON_LANGUAGES]
    initial["other_languages"] = [c for c in person.languages if c not in COMMON_LANGUAGES]
    form = PersonForm(request.POST or None, initial=initial, sensitive=sensitive)
    if request.method == "POST" and form.is_valid():
        # The form shows two nationalities; the API may have recorded more: keep them.
        form.cleaned_data["nationalities"] = list(
            dict.fromkeys([*form.cleaned_data["nationalities"], *person.nationalities[2:]])
        )
        current = {name: getattr(person, name) for name in services.PERSON_FIELDS}
        changes = {k: v for k, v in form.cleaned_data.items() if k in current and v != current[k]}
        changes = {
            k: ("" if v is None and k in ("dwelling", "privacy_notice_language") else v)
            for k, v in changes.items()
        }
        try:
            services.update_person(actor=request.user, person=person, changes=changes)
            messages.success(request, _("Changes saved."))
            return redirect(person)
        except (RuleBroken, ValidationError) as error:
            _show_errors(form, error)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires("people.edit")
def household_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    person = selectors.get_person_for(request.city, pk)
    form = HouseholdForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        relative = (
            selectors.get_person_for(request.city, data["relative"]) if data["relative"] else None
        )
        try:
            services.add_household_link(
                actor=request.user,
                person=person,
                relation=data["relation"],
                relative=relative,
                name=data["name"],
                birth_year=data["birth_year"],
                lives_with=data["lives_with"],
            )
            messages.success(request, _("Family member added."))
        except (RuleBroken, ValidationError) as error:
            messages.error(request, getattr(error, "message", None) or "; ".join(error.messages))
    else:
        messages.error(request, _("Check the family member's details."))
    return redirect(person)


@requires("people.merge")
def duplicate_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Pairs of records that may be one person: merge them or mark them as different."""
    return render(
        request, "people/duplicate_list.html", {"pairs": selectors.likely_pairs(request.city)}
    )


@requires("people.merge")
def person_merge(request: HttpRequest, city_slug: str, pk: int, other: int) -> HttpResponse:
    survivor = selectors.get_person_for(request.city, pk)
    duplicate = selectors.get_person_for(request.city, other)
    if survivor.merged_into_id or duplicate.merged_into_id or survivor.pk == duplicate.pk:
        raise Http404
    if request.method == "POST":
        take = [name for name in request.POST.getlist("take") if name in MERGEABLE]
        try:
            services.merge_persons(
                actor=request.user, survivor=survivor, duplicate=duplicate, take=take
            )
            messages.success(request, _("Records merged."))
            return redirect(survivor)
        except (RuleBroken, ValidationError) as error:
            messages.error(request, getattr(error, "message", None) or "; ".join(error.messages))
    rows = [
        (
            name,
            survivor._meta.get_field(name).verbose_name,
            getattr(survivor, name),
            getattr(duplicate, name),
        )
        for name in MERGEABLE
    ]
    match = matching.score(selectors.candidate_of(survivor), selectors.candidate_of(duplicate))
    return render(
        request,
        "people/person_merge.html",
        {"survivor": survivor, "duplicate": duplicate, "rows": rows, "match": match},
    )


@require_POST
@requires("people.merge")
def person_not_same(request: HttpRequest, city_slug: str, pk: int, other: int) -> HttpResponse:
    a = selectors.get_person_for(request.city, pk)
    b = selectors.get_person_for(request.city, other)
    try:
        services.mark_not_same(actor=request.user, a=a, b=b)
        messages.success(
            request, _("Marked as different people: the pair will not be proposed again.")
        )
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect("people:duplicates", city_slug=city_slug)


@requires("contacts.record")
def contact_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    contacts = selectors.list_contacts(request.membership)
    page = Paginator(contacts, 50).get_page(request.GET.get("page"))
    return render(request, "people/contact_list.html", {"page": page})


@requires("contacts.record")
def contact_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    """The outreach form: fits a phone, a handful of taps, under a minute."""
    sites = network_selectors.list_sites(request.city).filter(is_active=True)
    street = not request.membership.can("people.view")  # the mobile team
    initial = {
        "channel": "street" if street else "desk",
        "site": sites.filter(kind="mobile_unit" if street else "one_stop_shop").first(),
    }
    form = ContactForm(request.POST or None, sites=sites, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None,)}
        if not data.get("occurred_at"):
            data.pop("occurred_at", None)
        try:
            services.record_contact(actor=request.user, city=request.city, data=data)
            messages.success(request, _("Contact recorded."))
            return redirect("people:contact_list", city_slug=city_slug)
        except (RuleBroken, ValidationError) as error:
            _show_errors(form, error)
    return render(
        request,
        "people/contact_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@requires("contacts.record")
def contact_link(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Link an anonymous contact to the person it turned out to be."""
    contact = selectors.get_contact_for(request.membership, pk)
    form = LinkContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = selectors.get_person_for(request.city, form.cleaned_data["person"])
        try:
            services.update_contact(actor=request.user, contact=contact, changes={"person": person})
            messages.success(request, _("Contact linked to the person."))
            return redirect("people:contact_list", city_slug=city_slug)
        except (RuleBroken, ValidationError) as error:
            _show_errors(form, error)
    return render(request, "people/contact_link.html", {"contact": contact, "form": form})
