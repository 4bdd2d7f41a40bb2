"""Pages of housing: facilities and beds, the occupancy board, placements, the waiting list,
landlords and rent support, the autonomy path."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lgnet.accounts.permissions import requires
from lgnet.core.exceptions import RuleBroken
from lgnet.core.forms import parse_id
from lgnet.housing import forms, selectors, services
from lgnet.housing.models import Room
from lgnet.network import selectors as network_selectors
from lgnet.people import selectors as people_selectors


def _fail(form, error: RuleBroken | ValidationError) -> int:
    """Show a refused write on its form; answer with the rule's status (409: a conflict)."""
    if isinstance(error, ValidationError):
        form.add_error(None, error)
        return 400
    form.add_error(error.field if error.field in form.fields else None, error.message)
    return error.status


def _day(value: str | None, default: date) -> date:
    try:
        return parse_date(value or "") or default
    except ValueError:
        return default


def _person_from_query(request: HttpRequest):
    person_id = parse_id(request.GET.get("person") or request.POST.get("person"))
    if person_id is None:
        raise Http404
    return people_selectors.get_person_for(request.city, person_id)


def _beds_in_use(city):
    return selectors.list_beds(city).filter(is_active=True, facility__is_active=True)


# --- home, facilities, beds ------------------------------------------------------------------


@requires("housing.view")
def home(request: HttpRequest, city_slug: str) -> HttpResponse:
    today = timezone.localdate()
    facilities = list(selectors.list_facilities(request.city, day=today))
    return render(
        request,
        "housing/home.html",
        {
            "facilities": facilities,
            "today": today,
            "totals": {
                "beds": sum(f.bed_count for f in facilities),
                "occupied": sum(f.occupied for f in facilities),
                "free": selectors.free_beds(request.city, day=today).count(),
                "waiting": selectors.waiting_count(request.city),
            },
        },
    )


def _facility_form(request, data=None, instance=None):
    return forms.FacilityForm(
        data,
        instance=instance,
        organisations=network_selectors.list_organisations(request.city),
        sites=network_selectors.list_sites(request.city),
    )


@requires("housing.manage")
def facility_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    return _facility_edit(request, None)


@requires("housing.manage")
def facility_edit(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    return _facility_edit(request, selectors.get_facility_for(request.city, pk))


def _facility_edit(request: HttpRequest, facility) -> HttpResponse:
    return _edit_page(
        request,
        _facility_form(request, request.POST or None, facility),
        facility,
        save=partial(services.save_facility, facility=facility),
        fields=services.FACILITY_FIELDS,
        saved=_("Facility saved."),
        titles=(_("New facility"), _("Edit the facility")),
        back="housing:home",
    )


def _edit_page(request, form, instance, *, save, fields, saved, titles, back) -> HttpResponse:
    """The new/edit page of a record saved by a service: the form, its errors, the status.

    ``save(actor=, city=, changes=)`` writes the record; ``titles`` are (new, edit);
    ``back`` is the list's URL name when there is no record yet."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                instance = save(
                    actor=request.user,
                    city=request.city,
                    changes={name: form.cleaned_data[name] for name in fields},
                )
                messages.success(request, saved)
                return redirect(instance)
            except (RuleBroken, ValidationError) as error:
                status = _fail(form, error)
    return render(
        request,
        "housing/form.html",
        {
            "form": form,
            "title": titles[instance is not None],
            "back": instance.get_absolute_url()
            if instance
            else reverse(back, args=[request.city.slug]),
        },
        status=status,
    )


def _facility_page(request, facility, *, status=200, **forms_given) -> HttpResponse:
    today = timezone.localdate()
    rooms = Room.objects.filter(city=request.city, facility=facility)
    context = {
        "facility": facility,
        "beds": selectors.list_beds(request.city, facility=facility),
        "closures": selectors.closures_of(facility, since=today),
        "back_form": forms_given.get("back_form"),
        "rooms": rooms,
        "room_form": forms_given.get("room_form") or forms.RoomForm(),
        "bed_form": forms_given.get("bed_form") or forms.BedForm(rooms=rooms),
        "closure_form": forms_given.get("closure_form")
        or forms.OutOfServiceForm(beds=selectors.list_beds(request.city, facility=facility)),
        "today": today,
    }
    return render(request, "housing/facility_detail.html", context, status=status)


@requires("housing.view")
def facility_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    return _facility_page(request, selectors.get_facility_for(request.city, pk))


@require_POST
@requires("housing.manage")
def room_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    facility = selectors.get_facility_for(request.city, pk)
    form = forms.RoomForm(request.POST)
    if form.is_valid():
        try:
            services.add_room(actor=request.user, facility=facility, **form.cleaned_data)
            messages.success(request, _("Room added."))
            return redirect(facility)
        except (RuleBroken, ValidationError) as error:
            return _facility_page(request, facility, room_form=form, status=_fail(form, error))
    return _facility_page(request, facility, room_form=form, status=400)


@require_POST
@requires("housing.manage")
def bed_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    facility = selectors.get_facility_for(request.city, pk)
    rooms = Room.objects.filter(city=request.city, facility=facility)
    form = forms.BedForm(request.POST, rooms=rooms)
    if form.is_valid():
        try:
            services.save_bed(
                actor=request.user, facility=facility, changes=dict(form.cleaned_data)
            )
            messages.success(request, _("Bed added."))
            return redirect(facility)
        except (RuleBroken, ValidationError) as error:
            return _facility_page(request, facility, bed_form=form, status=_fail(form, error))
    return _facility_page(request, facility, bed_form=form, status=400)


@requires("housing.manage")
def bed_edit(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    bed = selectors.get_bed_for(request.city, pk)
    rooms = Room.objects.filter(city=request.city, facility=bed.facility)
    form = forms.BedForm(request.POST or None, instance=bed, rooms=rooms)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_bed(actor=request.user, bed=bed, changes=dict(form.cleaned_data))
                messages.success(request, _("Bed saved."))
                return redirect(bed.facility)
            except (RuleBroken, ValidationError) as error:
                status = _fail(form, error)
    return render(
        request,
        "housing/form.html",
        {"form": form, "title": str(bed), "back": bed.facility.get_absolute_url()},
        status=status,
    )


@require_POST
@requires("housing.manage")
def out_of_service_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    facility = selectors.get_facility_for(request.city, pk)
    form = forms.OutOfServiceForm(
        request.POST, beds=selectors.list_beds(request.city, facility=facility)
    )
    status = 400
    if form.is_valid():
        try:
            services.put_out_of_service(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The bed is out of service for that period."))
            return redirect(facility)
        except RuleBroken as error:
            status = _fail(form, error)
    return _facility_page(request, facility, closure_form=form, status=status)


@require_POST
@requires("housing.manage")
def out_of_service_end(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """A bed back in service from a day: the period ends then (or is cancelled)."""
    facility = selectors.get_facility_for(request.city, pk)
    form = forms.BackInServiceForm(request.POST, periods=selectors.closures_of(facility))
    status = 400
    if form.is_valid():
        try:
            services.change_out_of_service_end(
                actor=request.user,
                period=form.cleaned_data["period"],
                end_date=form.cleaned_data["end_date"],
            )
            messages.success(request, _("The bed is back in service from that day."))
            return redirect(facility)
        except RuleBroken as error:
            status = _fail(form, error)
    return _facility_page(request, facility, back_form=form, status=status)


# --- occupancy -------------------------------------------------------------------------------


@requires("housing.view")
def board(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Beds × days of a facility, for a week or a month."""
    facility = selectors.get_facility_for(request.city, pk)
    today = timezone.localdate()
    period = "month" if request.GET.get("period") == "month" else "week"
    chosen = _day(request.GET.get("start"), today)
    if period == "month":
        start = chosen.replace(day=1)
        days = calendar.monthrange(start.year, start.month)[1]
        previous = (start - timedelta(days=1)).replace(day=1)
        following = start + timedelta(days=days)
    else:
        start = chosen - timedelta(days=chosen.weekday())
        days = 7
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    grid = selectors.board(facility, start=start, days=days)
    return render(
        request,
        "housing/board.html",
        {
            "board": grid,
            "facility": facility,
            "period": period,
            "previous": previous,
            "following": following,
            "today": today,
            "occupied_today": sum(
                1
                for row in grid.rows
                for s in row.segments
                if s.placement and s.placement.is_current_on(today)
            ),
        },
    )


@requires("housing.view")
def free_beds(request: HttpRequest, city_slug: str) -> HttpResponse:
    today = timezone.localdate()
    day = _day(request.GET.get("on"), today)
    filters = {
        name: request.GET.get(name) == "1" for name in ("women_only", "accessible", "family_room")
    }
    beds = selectors.free_beds(request.city, day=day, **filters)
    return render(
        request,
        "housing/free_beds.html",
        {"beds": beds, "day": day, "filters": filters, "today": today},
    )


@requires("housing.view")
def occupancy(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Occupancy rate per month (or week) over a year, computed in the database."""
    today = timezone.localdate()
    facility_id = parse_id(request.GET.get("facility"))
    facility = selectors.get_facility_for(request.city, facility_id) if facility_id else None
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    unit = "week" if request.GET.get("unit") == "week" else "month"
    if year and 2000 <= year <= today.year + 1:
        start, end = date(year, 1, 1), date(year + 1, 1, 1)
    else:
        # The last 12 months up to tonight: future nights are plans, not occupancy.
        year = None
        end = today + timedelta(days=1)
        month = today.month - 11
        start = date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    points = selectors.occupancy_rate(
        request.city, start=start, end=end, unit=unit, facility=facility
    )
    used = sum(p.bed_nights for p in points)
    available = sum(p.available_nights for p in points)
    return render(
        request,
        "housing/occupancy.html",
        {
            "points": points,
            "facility": facility,
            "facilities": selectors.list_facilities(request.city),
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "unit": unit,
            "start": start,
            "end": end,
            "used": used,
            "available": available,
            "overall": round(used * 100 / available) if available else 0,
        },
    )


# --- placements ------------------------------------------------------------------------------


@requires("housing.view")
def placement_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    today = timezone.localdate()
    show = request.GET.get("show", "current")
    facility_id = parse_id(request.GET.get("facility"))
    facility = selectors.get_facility_for(request.city, facility_id) if facility_id else None
    placements = selectors.list_placements(
        request.city, current_day=today if show != "all" else None, facility=facility
    )
    page = Paginator(placements, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "housing/placement_list.html",
        {
            "page": page,
            "show": show,
            "facility": facility,
            "facilities": selectors.list_facilities(request.city),
            "today": today,
        },
    )


@requires("housing.assign")
def placement_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Place a person (named in ?person=) in a bed."""
    person = _person_from_query(request)
    initial = {}
    bed_id = parse_id(request.GET.get("bed"))
    if bed_id:
        initial["bed"] = bed_id
    form = forms.PlacementForm(
        request.POST or None, initial=initial, beds=_beds_in_use(request.city)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                placement = services.place_person(
                    actor=request.user, person=person, **form.cleaned_data
                )
                messages.success(request, _("Placement recorded."))
                return redirect(placement)
            except RuleBroken as error:
                status = _fail(form, error)
    return render(
        request,
        "housing/placement_form.html",
        {"form": form, "person": person},
        status=status,
    )


def _placement_page(request, placement, *, status=200, **given) -> HttpResponse:
    beds = _beds_in_use(request.city).exclude(pk=placement.bed_id)
    return render(
        request,
        "housing/placement_detail.html",
        {
            "placement": placement,
            "today": timezone.localdate(),
            "move_form": given.get("move_form") or forms.MoveForm(beds=beds),
            "extend_form": given.get("extend_form")
            or forms.ExtendForm(initial={"end_date": placement.end_date}),
            "end_form": given.get("end_form")
            or forms.EndForm(initial={"end_date": placement.end_date or timezone.localdate()}),
            "open": given.get("open", ""),
        },
        status=status,
    )


@requires("housing.view")
def placement_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    return _placement_page(request, selectors.get_placement_for(request.city, pk))


@require_POST
@requires("housing.assign")
def placement_move(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    placement = selectors.get_placement_for(request.city, pk)
    form = forms.MoveForm(
        request.POST, beds=_beds_in_use(request.city).exclude(pk=placement.bed_id)
    )
    status = 400
    if form.is_valid():
        try:
            moved = services.move_placement(
                actor=request.user, placement=placement, **form.cleaned_data
            )
            messages.success(request, _("Moved to the new bed."))
            return redirect(moved)
        except RuleBroken as error:
            status = _fail(form, error)
    placement.refresh_from_db()
    return _placement_page(request, placement, move_form=form, open="move", status=status)


@require_POST
@requires("housing.assign")
def placement_extend(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    placement = selectors.get_placement_for(request.city, pk)
    form = forms.ExtendForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.extend_placement(
                actor=request.user, placement=placement, end_date=form.cleaned_data["end_date"]
            )
            messages.success(request, _("Placement extended."))
            return redirect(placement)
        except RuleBroken as error:
            status = _fail(form, error)
    placement.refresh_from_db()
    return _placement_page(request, placement, extend_form=form, open="extend", status=status)


@require_POST
@requires("housing.assign")
def placement_end(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    placement = selectors.get_placement_for(request.city, pk)
    form = forms.EndForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.end_placement(actor=request.user, placement=placement, **form.cleaned_data)
            messages.success(request, _("Placement ended."))
            return redirect(placement)
        except RuleBroken as error:
            status = _fail(form, error)
    placement.refresh_from_db()
    return _placement_page(request, placement, end_form=form, open="end", status=status)


# --- waiting list ----------------------------------------------------------------------------


@requires("housing.view")
def waiting_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "housing/waiting_list.html",
        {
            "requests": selectors.waiting_with_free_beds(request.city, day=today),
            "free": selectors.free_beds(request.city, day=today).count(),
            "today": today,
        },
    )


@requires("housing.assign")
def request_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    person = _person_from_query(request)
    form = forms.RequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                housing_request = services.add_request(
                    actor=request.user, person=person, data=dict(form.cleaned_data)
                )
                messages.success(request, _("Added to the waiting list."))
                return redirect(housing_request)
            except (RuleBroken, ValidationError) as error:
                status = _fail(form, error)
    return render(
        request,
        "housing/request_form.html",
        {"form": form, "person": person},
        status=status,
    )


def _request_page(request, housing_request, *, status=200, offer_form=None) -> HttpResponse:
    today = timezone.localdate()
    day = _day(request.GET.get("on"), today)
    beds = selectors.matching_beds(housing_request, day=day)
    return render(
        request,
        "housing/request_detail.html",
        {
            "housing_request": housing_request,
            "beds": beds,
            "day": day,
            "offer_form": offer_form or forms.OfferForm(initial={"start_date": day}, beds=beds),
        },
        status=status,
    )


@requires("housing.view")
def request_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    return _request_page(request, selectors.get_request_for(request.city, pk))


@require_POST
@requires("housing.assign")
def request_offer(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    """Offer a free bed that fits: the request becomes a placement."""
    housing_request = selectors.get_request_for(request.city, pk)
    form = forms.OfferForm(request.POST, beds=_beds_in_use(request.city))
    status = 400
    if form.is_valid():
        try:
            placement = services.offer_bed(
                actor=request.user, request=housing_request, **form.cleaned_data
            )
            messages.success(request, _("Bed offered: the placement starts."))
            return redirect(placement)
        except RuleBroken as error:
            status = _fail(form, error)
    return _request_page(request, housing_request, offer_form=form, status=status)


@require_POST
@requires("housing.assign")
def request_withdraw(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    housing_request = selectors.get_request_for(request.city, pk)
    try:
        services.withdraw_request(actor=request.user, request=housing_request)
        messages.success(request, _("Request withdrawn."))
    except RuleBroken as error:
        messages.error(request, error.message)
    return redirect(housing_request)


# --- landlords -------------------------------------------------------------------------------


@requires("housing.view")
def landlord_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page = Paginator(selectors.list_landlords(request.city, q=q), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "housing/landlord_list.html", {"page": page, "q": q})


@requires("housing.manage")
def landlord_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    return _landlord_edit(request, None)


@requires("housing.manage")
def landlord_edit(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    return _landlord_edit(request, selectors.get_landlord_for(request.city, pk))


def _landlord_edit(request, landlord) -> HttpResponse:
    return _edit_page(
        request,
        forms.LandlordForm(request.POST or None, instance=landlord),
        landlord,
        save=partial(services.save_landlord, landlord=landlord),
        fields=services.LANDLORD_FIELDS,
        saved=_("Landlord saved."),
        titles=(_("New landlord"), _("Edit the landlord")),
        back="housing:landlord_list",
    )


def _landlord_page(request, landlord, *, status=200, **given) -> HttpResponse:
    return render(
        request,
        "housing/landlord_detail.html",
        {
            "landlord": landlord,
            "properties": landlord.properties.all(),
            "mediations": landlord.mediations.select_related("recorded_by"),
            "supports": selectors.list_rent_supports(request.city).filter(landlord=landlord),
            "property_form": given.get("property_form") or forms.PropertyForm(),
            "mediation_form": given.get("mediation_form") or forms.MediationForm(),
        },
        status=status,
    )


@requires("housing.view")
def landlord_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    return _landlord_page(request, selectors.get_landlord_for(request.city, pk))


@require_POST
@requires("housing.manage")
def property_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    landlord = selectors.get_landlord_for(request.city, pk)
    form = forms.PropertyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.add_property(actor=request.user, landlord=landlord, data=form.cleaned_data)
            messages.success(request, _("Property added."))
            return redirect(landlord)
        except (RuleBroken, ValidationError) as error:
            status = _fail(form, error)
    return _landlord_page(request, landlord, property_form=form, status=status)


@require_POST
@requires("housing.assign")
def mediation_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    landlord = selectors.get_landlord_for(request.city, pk)
    form = forms.MediationForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.record_mediation(actor=request.user, landlord=landlord, **form.cleaned_data)
            messages.success(request, _("Mediation recorded."))
            return redirect(landlord)
        except (RuleBroken, ValidationError) as error:
            status = _fail(form, error)
    return _landlord_page(request, landlord, mediation_form=form, status=status)


# --- rent support ----------------------------------------------------------------------------


@requires("housing.view")
def rent_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    edition = request.GET.get("edition", "")[:20]
    page = Paginator(selectors.list_rent_supports(request.city, edition_code=edition), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "housing/rent_list.html",
        {"page": page, "totals": selectors.rent_totals(request.city), "edition": edition},
    )


@requires("housing.assign")
def rent_create(request: HttpRequest, city_slug: str) -> HttpResponse:
    person = _person_from_query(request)
    form = forms.RentSupportForm(
        request.POST or None, landlords=selectors.list_landlords(request.city)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                support = services.create_rent_support(
                    actor=request.user, person=person, data=dict(form.cleaned_data)
                )
                messages.success(request, _("Rent support recorded."))
                return redirect(support)
            except (RuleBroken, ValidationError) as error:
                status = _fail(form, error)
    return render(
        request, "housing/rent_form.html", {"form": form, "person": person}, status=status
    )


def _rent_page(request, support, *, status=200, payment_form=None) -> HttpResponse:
    return render(
        request,
        "housing/rent_detail.html",
        {
            "support": support,
            "payments": support.payments.select_related("recorded_by"),
            "payment_form": payment_form
            or forms.PaymentForm(initial={"amount": support.contribution}),
        },
        status=status,
    )


@requires("housing.view")
def rent_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    return _rent_page(request, selectors.get_rent_support_for(request.city, pk))


@require_POST
@requires("housing.assign")
def payment_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    support = selectors.get_rent_support_for(request.city, pk)
    form = forms.PaymentForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.record_payment(actor=request.user, support=support, **form.cleaned_data)
            messages.success(request, _("Payment recorded."))
            return redirect(support)
        except RuleBroken as error:
            status = _fail(form, error)
    return _rent_page(request, support, payment_form=form, status=status)


# --- autonomy --------------------------------------------------------------------------------


@require_POST
@requires("housing.assign")
def milestone_add(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    person = people_selectors.get_person_for(request.city, pk)
    form = forms.MilestoneForm(request.POST, prefix="milestone")
    if form.is_valid():
        try:
            services.record_milestone(actor=request.user, person=person, **form.cleaned_data)
            messages.success(request, _("Milestone recorded."))
        except (RuleBroken, ValidationError) as error:
            messages.error(request, getattr(error, "message", None) or "; ".join(error.messages))
    else:
        messages.error(request, _("Choose a milestone and the date it was reached."))
    return redirect(reverse("people:detail", args=[request.city.slug, person.pk]) + "#housing")


@requires("housing.view")
def autonomy(request: HttpRequest, city_slug: str) -> HttpResponse:
    """Exits to autonomous housing and whether the person is still housed 6 and 12 months on."""
    today = timezone.localdate()
    outcomes = [
        selectors.outcome_of(exit_, today)
        for exit_ in selectors.autonomy_outcomes(request.city, today=today)
    ]
    return render(
        request,
        "housing/autonomy.html",
        {"outcomes": outcomes, "summary": selectors.autonomy_summary(outcomes), "today": today},
    )
