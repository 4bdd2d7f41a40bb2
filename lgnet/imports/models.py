"""Every import is kept: who, when, the counts and the records its rows made; its file and
the rows of its report only until the retention period (or an erasure) clears them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lgnet.core.history import tracked
from lgnet.core.models import CityOwned


def _private_storage():
    from django.core.files.storage import storages

    return storages["attachments"]  # outside the web root, served only through checked views


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked: waiting for confirmation")
    INVALID = "invalid", _("Errors found: nothing written")
    APPLYING = "applying", _("Writing")
    APPLIED = "applied", _("Written")
    FAILED = "failed", _("Failed: nothing written")


@tracked()
class Import(CityOwned):
    """One spreadsheet brought into the city: checked first, then written all or nothing."""

    kind = models.CharField(_("kind"), max_length=20)
    file = models.FileField(_("file"), storage=_private_storage, upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows processed"), default=0)  # progress of a task
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # {"errors": [{"row", "column", "message"}], "duplicates": [...]}: what the preview shows
    report = models.JSONField(_("report"), default=dict, blank=True)
    # {"<row>": "create" | "person:<id>" | "row:<n>"}: the operator's choice per duplicate
    decisions = models.JSONField(_("decisions"), default=dict, blank=True)
    create_duplicates = models.BooleanField(_("create likely duplicates"), default=False)
    failure = models.CharField(_("failure"), max_length=300, blank=True)
    # When the uploaded file was deleted and the report's rows (names, birth dates) cleared,
    # by the retention period or the erasure of a person it touched; counts and dates stay.
    cleared_at = models.DateTimeField(_("file and report deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["city", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", kwargs={"city_slug": self.city.slug, "pk": self.pk})

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.APPLYING)

    @property
    def is_cleared(self) -> bool:
        return self.cleared_at is not None

    @property
    def error_count(self) -> int:
        return int(self.report.get("error_count", len(self.errors)))

    @property
    def errors(self) -> list:
        return self.report.get("errors", [])

    @property
    def duplicates(self) -> list:
        return self.report.get("duplicates", [])


class ImportedRecord(CityOwned):
    """A row of an import and the record it made or was linked to.

    ``key`` is the row's external id (or a fingerprint of its values when it has none):
    a second import of the same row finds it here and changes nothing.
    """

    data_import = models.ForeignKey(
        Import,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("import"),
        db_index=False,  # the (data_import, row) index leads with it
    )
    kind = models.CharField(_("kind"), max_length=20)
    row = models.PositiveIntegerField(_("row"))
    key = models.CharField(_("external id"), max_length=100)
    target_type = models.CharField(_("record type"), max_length=60)
    target_id = models.BigIntegerField(_("record id"))
    action = models.CharField(_("action"), max_length=10)  # created | linked

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "kind", "key"], name="imported_record_key_unique"
            )
        ]
        indexes = [models.Index(fields=["data_import", "row"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
