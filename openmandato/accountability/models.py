"""Accountability: append-only progress updates with evidence, indicators, the ledger, roles and audit."""

import base64
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from openmandato.accountability.append_only import AppendOnlyModel, AppendOnlyQuerySet
from openmandato.core.models import (  # noqa: F401 - moved to core
    AuditEntry,
    LoggedModel,
    Membership,
    Role,
    TenantOneToOneField,
    TenantRow,
)
from openmandato.programs.models import Action, Mandate
from openmandato.programs.status import Status

CLAIM_STATUSES = frozenset({Status.DONE, Status.PARTIALLY_DONE})


class ProgressUpdateQuerySet(AppendOnlyQuerySet):
    def newest_first(self):
        return self.order_by("-date", "-created_at", "-pk")

    def uncorrected(self, as_of: datetime.date | None = None):
        """Updates that no later update corrects (no correction dated up to `as_of`, if given)."""
        corrections = ProgressUpdate.objects.filter(corrects=models.OuterRef("pk"))
        if as_of is not None:
            corrections = corrections.filter(date__lte=as_of)
        return self.exclude(models.Exists(corrections))

    def current(self, as_of: datetime.date | None = None):
        """Each action's current update: its latest uncorrected one (dated up to `as_of`, if given).

        The one rule for "which update is current", e.g. `action.updates.current().first()`.
        """
        latest = ProgressUpdate.objects.filter(action=models.OuterRef("action")).uncorrected(as_of)
        if as_of is not None:
            latest = latest.filter(date__lte=as_of)
        return self.filter(pk=models.Subquery(latest.newest_first().values("pk")[:1]))

    def public(self):
        """Updates of published mandates (see Action.objects.published())."""
        return self.filter(action__mandate__is_published=True)

    def in_current_mandate(self):
        return self.filter(action__mandate__is_current=True)


class ProgressUpdate(TenantRow, LoggedModel, AppendOnlyModel):
    tenant_parent = "action"

    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="updates", verbose_name=_("azione")
    )
    date = models.DateField(_("data"), db_index=True)
    status = models.CharField(_("stato"), max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(_("avanzamento (%)"), validators=[MaxValueValidator(100)])
    note = models.TextField(_("nota"), blank=True, help_text=_("Markdown: **grassetto**, elenchi, link."))
    note_html = models.TextField(editable=False, blank=True)
    spent_budget = models.DecimalField(
        _("spesa sostenuta (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corregge l'aggiornamento"),
    )
    from_indicators = models.BooleanField(_("calcolato dagli indicatori"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("autore")
    )
    is_demo = models.BooleanField(
        _("dato dimostrativo"), default=False, help_text=_("Generato da load_demo: non è un dato reale.")
    )
    created_at = models.DateTimeField(_("registrato il"), auto_now_add=True, db_index=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("aggiornamento")
        verbose_name_plural = _("aggiornamenti")
        ordering = ["action", "date", "created_at", "pk"]
        get_latest_by = ["date", "created_at", "pk"]
        indexes = [models.Index(fields=["action", "-date", "-created_at"], name="update_latest_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="update_progress_max_100")
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.date:%d/%m/%Y} {self.get_status_display()} {self.progress}%"


class EvidenceKind(models.TextChoices):
    ACT = "act", _("Atto pubblicato")
    DOCUMENT = "document", _("Documento caricato")
    LINK = "link", _("Altro link")


class ActKind(models.TextChoices):
    GIUNTA = "delibera_giunta", _("Delibera di Giunta")
    CONSIGLIO = "delibera_consiglio", _("Delibera di Consiglio")
    DETERMINA = "determina", _("Determina dirigenziale")
    DECRETO = "decreto", _("Decreto o ordinanza del Sindaco")


class Evidence(TenantRow, LoggedModel, AppendOnlyModel):
    """The source of a claim: a published act (kind, number, date, link), an uploaded document, or a link."""

    tenant_parent = "update"

    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("aggiornamento")
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("titolo"), max_length=200, blank=True)
    act_kind = models.CharField(_("tipo di atto"), max_length=20, choices=ActKind.choices, blank=True)
    act_number = models.CharField(_("numero dell'atto"), max_length=30, blank=True)
    act_date = models.DateField(_("data dell'atto"), null=True, blank=True)
    url = models.URLField(_("indirizzo"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fonte")
        verbose_name_plural = _("fonti")
        ordering = ["update", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == EvidenceKind.ACT:
            return f"{self.get_act_kind_display()} n. {self.act_number} del {self.act_date:%d/%m/%Y}"
        return self.title or self.original_name or self.url


class Direction(models.TextChoices):
    UP = "up", _("Crescere")
    DOWN = "down", _("Diminuire")


class Indicator(TenantRow, LoggedModel):
    tenant_parent = "action"

    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("azione")
    )
    name = models.CharField(_("nome"), max_length=200)
    unit = models.CharField(_("unità di misura"), max_length=50)
    baseline = models.DecimalField(_("valore iniziale"), max_digits=16, decimal_places=4)
    baseline_date = models.DateField(_("data del valore iniziale"))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    target_date = models.DateField(_("data del target"))
    direction = models.CharField(
        _("direzione"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    position = models.PositiveIntegerField(_("posizione"), default=0)

    class Meta:
        verbose_name = _("indicatore")
        verbose_name_plural = _("indicatori")
        ordering = ["action", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(direction="up", target__gt=models.F("baseline"))
                    | models.Q(direction="down", target__lt=models.F("baseline"))
                ),
                name="indicator_target_beyond_baseline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def save(self, *args, **kwargs):
        # Measurements are chained in the ledger with their action: a measured indicator stays put.
        if self.pk is not None:
            stored = Indicator.objects.filter(pk=self.pk).values_list("action_id", flat=True).first()
            if stored is not None and stored != self.action_id and self.is_measured():
                raise ValidationError(
                    _("Un indicatore con misurazioni non può passare a un'altra azione."), code="measured"
                )
        super().save(*args, **kwargs)

    def is_measured(self) -> bool:
        return self.pk is not None and self.measurements.exists()

    def progress_for(self, value: Decimal) -> int:
        """Share of the way from baseline to target, clamped to 0–100."""
        share = (Decimal(value) - self.baseline) / (self.target - self.baseline) * 100
        return int(max(Decimal(0), min(Decimal(100), share)).to_integral_value())


class Measurement(TenantRow, LoggedModel, AppendOnlyModel):
    tenant_parent = "indicator"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="measurements", verbose_name=_("indicatore")
    )
    date = models.DateField(_("data"))
    value = models.DecimalField(_("valore"), max_digits=16, decimal_places=4)
    note = models.CharField(_("nota"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("autore")
    )
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("misurazione")
        verbose_name_plural = _("misurazioni")
        ordering = ["indicator", "date", "pk"]
        get_latest_by = ["date", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value} ({self.date:%d/%m/%Y})"


class EntryKind(models.TextChoices):
    UPDATE = "update", _("Aggiornamento")
    CORRECTION = "correction", _("Correzione")
    MEASUREMENT = "measurement", _("Misurazione")
    PARTICIPATION = "participation", _("Evento di partecipazione")


class LedgerEntry(TenantRow, AppendOnlyModel):
    """One entry of a mandate's transparency log.

    `body` is the entry's canonical JSON, the leaf of the Merkle tree (leaf_hash = SHA-256(0x00 ‖ body));
    entries are also still chained (hash = sha256(body + previous hash)) as before the tree existed."""

    tenant_parent = "mandate"

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="ledger")
    seq = models.PositiveIntegerField()
    update = TenantOneToOneField(
        ProgressUpdate, on_delete=models.PROTECT, null=True, related_name="ledger_entry"
    )
    measurement = TenantOneToOneField(
        Measurement, on_delete=models.PROTECT, null=True, related_name="ledger_entry"
    )
    kind = models.CharField(max_length=20, choices=EntryKind.choices, default=EntryKind.UPDATE)
    body = models.TextField(blank=True)
    leaf_hash = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voce del registro")
        verbose_name_plural = _("registro")
        ordering = ["mandate", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "seq", "municipality"], name="ledger_unique_seq"),
            models.UniqueConstraint(fields=["hash", "municipality"], name="ledger_unique_hash"),
            models.UniqueConstraint(fields=["update", "municipality"], name="ledger_unique_update"),
            models.UniqueConstraint(fields=["measurement", "municipality"], name="ledger_unique_measurement"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class Checkpoint(TenantRow, AppendOnlyModel):
    """A signed statement of a mandate's log: origin, tree size and root hash (C2SP tlog-checkpoint)."""

    tenant_parent = "mandate"

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="checkpoints")
    origin = models.CharField(max_length=255)
    tree_size = models.PositiveIntegerField()
    root_hash = models.CharField(max_length=64)
    note = models.TextField()  # the signed note: body, blank line, the instance's signature line
    compact_range = models.JSONField(default=list)  # subtree roots, to extend the tree in O(log n)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checkpoint firmato")
        verbose_name_plural = _("checkpoint firmati")
        ordering = ["mandate", "tree_size"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate", "tree_size", "municipality"], name="checkpoint_unique_size"
            )
        ]

    def __str__(self) -> str:
        return f"{self.origin} #{self.tree_size} {self.root_hash[:12]}"

    @property
    def root_base64(self) -> str:
        """The root hash as the checkpoint note writes it."""
        return base64.b64encode(bytes.fromhex(self.root_hash)).decode()


class CheckpointTimestamp(TenantRow, AppendOnlyModel):
    """An RFC 3161 timestamp token over SHA-256 of the checkpoint body."""

    tenant_parent = "checkpoint"

    checkpoint = TenantOneToOneField(Checkpoint, on_delete=models.PROTECT, related_name="timestamp")
    tsa_url = models.CharField(max_length=500)
    token = models.BinaryField()
    gen_time = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "municipality"], name="timestamp_unique_checkpoint")
        ]


class Cosignature(TenantRow, AppendOnlyModel):
    """A witness's C2SP cosignature/v1 line over a checkpoint it found consistent with what it saw."""

    tenant_parent = "checkpoint"

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.CharField(max_length=255)
    line = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checkpoint", "witness"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "witness", "municipality"], name="cosignature_unique_witness"
            )
        ]
