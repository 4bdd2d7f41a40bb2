"""/api/v1/ imports (upload, check, apply) and exports of the lists."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lgnet.core.api import ErrorOut, need
from lgnet.core.exceptions import RuleBroken
from lgnet.imports import exports, selectors, services
from lgnet.imports.models import ImportStatus

router = Router(tags=["imports"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    id: int
    kind: str
    filename: str
    status: str
    rows: int
    counts: dict
    errors: list[RowErrorOut]
    duplicates: list[dict]
    created_at: datetime
    applied_at: datetime | None


def import_out(data_import) -> dict:
    return {
        "id": data_import.pk,
        "kind": data_import.kind,
        "filename": data_import.filename,
        "status": data_import.status,
        "rows": data_import.rows,
        "counts": data_import.counts,
        "errors": data_import.errors,
        "duplicates": data_import.duplicates,
        "created_at": data_import.created_at,
        "applied_at": data_import.applied_at,
    }


class ApplyIn(Schema):
    decisions: dict[str, str] = {}


@router.post(
    "/imports",
    response={201: ImportOut, **ERRORS},
    summary="Upload a spreadsheet (multipart: kind, file, dry_run); answers the report",
)
def import_create(request: HttpRequest):
    need(request, "data.import")
    # Read by hand, after the capability check: a caller without it gets 403, not 400.
    kind = request.POST.get("kind", "")
    dry_run = request.POST.get("dry_run", "true").lower() not in ("false", "0", "no")
    data_import = services.create_import(
        actor=request.user,
        city=request.city,
        kind=kind,
        upload=request.FILES.get("file"),
        create_duplicates=request.POST.get("create_duplicates", "").lower() in ("true", "1"),
    )
    if dry_run:
        services.check_import(data_import, actor=request.user)
    else:
        services.run(data_import, actor=request.user, apply=True)
    return Status(201, import_out(data_import))


@router.get("/imports", response={200: list[ImportOut], **ERRORS}, summary="Imports of the city")
@paginate(LimitOffsetPagination)
def import_list(request: HttpRequest):
    need(request, "data.import")
    return [import_out(i) for i in selectors.list_imports(request.city)[:500]]


@router.get("/imports/{import_id}", response={200: ImportOut, **ERRORS})
def import_detail(request: HttpRequest, import_id: int):
    need(request, "data.import")
    return import_out(selectors.get_import_for(request.city, import_id))


@router.post(
    "/imports/{import_id}/apply",
    response={200: ImportOut, **ERRORS},
    summary="Write every row of a checked import, or none (409 with the report's errors)",
)
def import_apply(request: HttpRequest, import_id: int, payload: ApplyIn):
    need(request, "data.import")
    data_import = selectors.get_import_for(request.city, import_id)
    if data_import.status != ImportStatus.CHECKED:
        raise RuleBroken("This import cannot be applied in its state.", status=409)
    decisions = {k: v for k, v in payload.decisions.items() if k.isdigit()}
    return import_out(services.apply_import(data_import, actor=request.user, decisions=decisions))


class ExportOut(Schema):
    items: list[dict]
    count: int


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _export(request: HttpRequest, kind: str, fmt: str, filters: dict):
    need(request, "data.export")
    if not exports.may_export(request.membership, kind):
        raise PermissionDenied
    if fmt in ("csv", "xlsx"):
        content, _count = exports.export(
            kind,
            membership=request.membership,
            city=request.city,
            actor=request.user,
            fmt=fmt,
            filters=filters,
            channel="api",
        )
        response = HttpResponse(
            content,
            content_type="text/csv; charset=utf-8"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="{request.city.slug}-{kind}-{stamp}.{fmt}"'
        )
        return response
    columns, rows = exports.export_table(kind, request.membership, request.city, filters)
    items = [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in rows]
    from lgnet.core import audit

    audit.record(
        actor=request.user,
        city=request.city,
        action="data.exported",
        data={
            "kind": kind,
            "rows": len(items),
            "format": "json",
            "channel": "api",
            "columns": columns,
            "filters": sorted(k for k, v in filters.items() if v),
        },
    )
    return {"items": items, "count": len(items)}


FORMATS = "json (default), csv or xlsx"


@router.get(
    "/exports/persons",
    response={200: ExportOut, **ERRORS},
    summary=f"Persons with the fields your role may see; format {FORMATS}",
)
def export_persons(
    request: HttpRequest, format: str = "json", permit_expiring: bool = False, nationality: str = ""
):
    return _export(
        request,
        "persons",
        format,
        {"permit_expiring": permit_expiring, "nationality": nationality[:2]},
    )


@router.get(
    "/exports/cases", response={200: ExportOut, **ERRORS}, summary=f"Cases; format {FORMATS}"
)
def export_cases(request: HttpRequest, format: str = "json", status: str = "", area: str = ""):
    from lgnet.cases.models import ActionArea
    from lgnet.cases.models import Status as CaseStatus

    return _export(
        request,
        "cases",
        format,
        {
            "status": status if status in CaseStatus.values else "",
            "area": area if area in ActionArea.values else "",
        },
    )


@router.get(
    "/exports/placements",
    response={200: ExportOut, **ERRORS},
    summary=f"Housing placements; format {FORMATS}",
)
def export_placements(request: HttpRequest, format: str = "json"):
    return _export(request, "placements", format, {})


@router.get(
    "/exports/enrolments",
    response={200: ExportOut, **ERRORS},
    summary=f"Enrolments with hours and attendance rate; format {FORMATS}",
)
def export_enrolments(request: HttpRequest, format: str = "json"):
    return _export(request, "enrolments", format, {})


@router.get(
    "/exports/services",
    response={200: ExportOut, **ERRORS},
    summary=f"Services delivered; format {FORMATS}",
)
def export_services(request: HttpRequest, format: str = "json"):
    return _export(request, "services", format, {})


@router.get(
    "/exports/rent_supports",
    response={200: ExportOut, **ERRORS},
    summary=f"Rent supports with their planned and paid totals; format {FORMATS}",
)
def export_rent_supports(request: HttpRequest, format: str = "json"):
    return _export(request, "rent_supports", format, {})


@router.get(
    "/exports/rent_payments",
    response={200: ExportOut, **ERRORS},
    summary=f"Rent payments as a ledger (each with its support's columns); format {FORMATS}",
)
def export_rent_payments(request: HttpRequest, format: str = "json"):
    return _export(request, "rent_payments", format, {})


@router.get(
    "/exports/activities",
    response={200: ExportOut, **ERRORS},
    summary=f"Activities with their places taken; format {FORMATS}",
)
def export_activities(request: HttpRequest, format: str = "json"):
    return _export(request, "activities", format, {})


@router.get(
    "/exports/attendance",
    response={200: ExportOut, **ERRORS},
    summary=f"Attendance registers, one row per person and session; format {FORMATS}",
)
def export_attendance(request: HttpRequest, format: str = "json"):
    return _export(request, "attendance", format, {})
