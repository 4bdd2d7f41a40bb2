"""Pages: imports (upload → check → confirm), templates, exports of the lists."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lgnet.accounts.permissions import requires
from lgnet.core.exceptions import RuleBroken
from lgnet.core.forms import parse_id
from lgnet.imports import exports, guide, selectors, services, tasks
from lgnet.imports.forms import UploadForm
from lgnet.imports.kinds import KINDS
from lgnet.imports.models import ImportStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _start(request: HttpRequest, data_import, *, apply: bool) -> None:
    """Small files run in the request; large ones go to the task worker."""
    if data_import.file.size > tasks.LARGE_FILE_BYTES:
        data_import.status = ImportStatus.APPLYING if apply else ImportStatus.CHECKING
        data_import.done = 0
        data_import.save(update_fields=["status", "done", "updated_at"])
        tasks.run_import_task.enqueue(data_import.pk, apply, request.user.pk)
        return
    try:
        if apply:
            services.apply_import(data_import, actor=request.user)
        else:
            services.check_import(data_import, actor=request.user)
    except RuleBroken as error:
        messages.error(request, error.message)


@requires("data.import")
def import_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data_import = services.create_import(
                actor=request.user,
                city=request.city,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except RuleBroken as error:
            form.add_error("file" if error.field == "file" else None, error.message)
        else:
            _start(request, data_import, apply=False)
            return redirect(data_import)
    page = Paginator(selectors.list_imports(request.city), 25).get_page(request.GET.get("page"))
    return render(
        request, "imports/import_list.html", {"form": form, "page": page, "kinds": KINDS.values()}
    )


@requires("data.import")
def import_detail(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    data_import = services.settle_interrupted(selectors.get_import_for(request.city, pk))
    kind = KINDS.get(data_import.kind)
    context = {
        "data_import": data_import,
        "kind_label": kind.label if kind else data_import.kind,
        "duplicates": selectors.duplicate_view(data_import),
        "errors": _with_column_labels(data_import.errors[:500], kind),
        "can_apply": data_import.status == ImportStatus.CHECKED and not data_import.is_cleared,
    }
    if request.htmx and data_import.is_running:
        return render(request, "imports/import_detail.html#progress", context)
    if request.htmx:  # finished while the page was polling: show it whole
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/import_detail.html", context)


def _with_column_labels(errors: list[dict], kind) -> list[dict]:
    """Each error with its column in words beside the header's name (the file may use
    either the field name or the Italian header)."""
    labels = {column.name: column.label for column in kind.columns} if kind else {}
    return [{**error, "column_label": labels.get(error.get("column") or "")} for error in errors]


@require_POST
@requires("data.import")
def import_apply(request: HttpRequest, city_slug: str, pk: int) -> HttpResponse:
    data_import = selectors.get_import_for(request.city, pk)
    if data_import.status != ImportStatus.CHECKED or data_import.is_cleared:
        messages.error(request, _("This import cannot be applied in its state."))
        return redirect(data_import)
    decisions = {}
    for row in data_import.duplicates:
        value = request.POST.get(f"row-{row['row']}", "")
        if value == "create" or value.startswith(("person:", "row:")):
            number = value.split(":", 1)[1] if ":" in value else ""
            if value == "create" or parse_id(number):
                decisions[str(row["row"])] = value
    services.set_decisions(data_import, decisions)
    _start(request, data_import, apply=True)
    data_import.refresh_from_db()
    if data_import.status == ImportStatus.APPLIED:
        messages.success(request, _("Every row was written."))
    return redirect(data_import)


@requires("data.import")
def import_template(request: HttpRequest, city_slug: str) -> HttpResponse:
    kind = request.GET.get("kind", "persons")
    if kind not in KINDS:
        raise Http404
    response = HttpResponse(guide.build_template(kind, request.city), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="lgnet-{kind}-template.xlsx"'
    return response


def _filters(kind: str, data) -> dict:
    """The list page's own filters, POSTed with the export button (names stay out of URLs)."""
    q = (data.get("q") or "").replace("\x00", "")[:100]
    if kind == "persons":
        return {
            "q": q,
            "permit_expiring": data.get("permit") == "expiring",
            "nationality": (data.get("nationality") or "")[:2],
        }
    if kind == "cases":
        from lgnet.cases.models import ActionArea, Status

        status, area = data.get("status", ""), data.get("area", "")
        return {
            "q": q,
            "status": status if status in Status.values else "",
            "area": area if area in ActionArea.values else "",
            "manager_id": parse_id(data.get("manager")),
            "overdue": data.get("overdue") == "1",
        }
    return {}


@requires("data.export")
def export_list(request: HttpRequest, city_slug: str) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    kind = request.GET.get("kind") or data.get("kind") or "persons"
    if kind not in exports.EXPORT_KINDS:
        raise Http404
    if not exports.may_export(request.membership, kind):
        raise PermissionDenied
    fmt = "csv" if (request.GET.get("format") or data.get("format")) == "csv" else "xlsx"
    content, _count = exports.export(
        kind,
        membership=request.membership,
        city=request.city,
        actor=request.user,
        fmt=fmt,
        filters=_filters(kind, data),
    )
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(
        content, content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{request.city.slug}-{kind}-{stamp}.{fmt}"'
    )
    return response
