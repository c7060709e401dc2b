"""Participation: comments with one level of replies and official answers, supports ("Mi sta a cuore"),
proposals, and contested claims on progress updates."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openmandato.accountability.models import LedgerEntry, ProgressUpdate
from openmandato.core.models import TenantOneToOneField, TenantRow
from openmandato.programs.models import Action, Municipality

EDIT_WINDOW = datetime.timedelta(minutes=15)
UNANSWERED_AFTER = datetime.timedelta(days=30)


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden_at__isnull=True)


class Comment(models.Model):
    """A citizen's (or a staff member's official) comment on an action; replies have a parent."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="comments", verbose_name=_("azione")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("autore")
    )
    body = models.TextField(_("testo"))
    body_html = models.TextField(editable=False, blank=True)
    is_official = models.BooleanField(_("risposta ufficiale"), default=False)
    created_at = models.DateTimeField(_("scritto il"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("modificato il"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("nascosto il"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("motivo"), max_length=300, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commento")
        verbose_name_plural = _("commenti")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["action", "created_at"], name="comment_action_idx"),
            models.Index(fields=["municipality", "-created_at"], name="comment_municipality_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.body[:60]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def editable_by(self, user) -> bool:
        return (
            self.author_id == getattr(user, "pk", None)
            and self.hidden_at is None
            and timezone.now() - self.created_at <= EDIT_WINDOW
        )


class CommentReport(TenantRow):
    """A citizen's report of a comment to the comune's moderators."""

    tenant_parent = "comment"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("motivo"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("segnalazione di un commento")
        verbose_name_plural = _("segnalazioni di commenti")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter", "municipality"], name="comment_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.reason[:60]}"


class Support(TenantRow):
    """'Mi sta a cuore': one per citizen per action."""

    tenant_parent = "action"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sostegno")
        verbose_name_plural = _("sostegni")
        constraints = [
            models.UniqueConstraint(fields=["action", "user", "municipality"], name="support_once")
        ]
        indexes = [models.Index(fields=["action", "created_at"], name="support_growth_idx")]

    def __str__(self) -> str:
        return f"{self.action_id} ♥ {self.user_id}"


class ProposalKind(models.TextChoices):
    NEW_ACTION = "new_action", _("Nuova azione")
    IMPROVEMENT = "improvement", _("Miglioramento di un'azione")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("In attesa di risposta")
    EVALUATING = "evaluating", _("In valutazione")
    ACCEPTED = "accepted", _("Accolta")
    REJECTED = "rejected", _("Respinta")


class Proposal(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("comune")
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=ProposalKind.choices)
    action = models.ForeignKey(
        Action,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("azione da migliorare"),
    )
    title = models.CharField(_("titolo"), max_length=200)
    body = models.TextField(_("proposta"))
    body_html = models.TextField(editable=False, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("presentata il"), default=timezone.now)
    status = models.CharField(
        _("stato"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    answer = models.TextField(_("risposta"), blank=True)
    answer_html = models.TextField(editable=False, blank=True)
    answered_at = models.DateTimeField(_("risposta il"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_action = models.ForeignKey(
        Action,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("azione collegata"),
    )
    support_count = models.PositiveIntegerField(_("sostegni"), default=0)

    class Meta:
        verbose_name = _("proposta")
        verbose_name_plural = _("proposte")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "status", "-created_at"], name="proposal_list_idx"),
            models.Index(fields=["municipality", "-support_count"], name="proposal_support_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalSupport(TenantRow):
    tenant_parent = "proposal"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user", "municipality"], name="proposal_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} ♥ {self.user_id}"


class ContestedClaim(models.TextChoices):
    STATUS = "status", _("Lo stato dichiarato")
    PROGRESS = "progress", _("L'avanzamento dichiarato")
    SOURCE = "source", _("La fonte citata")


class ContestQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True)

    def overdue(self, now=None):
        return self.unanswered().filter(created_at__lt=(now or timezone.now()) - UNANSWERED_AFTER)


class Contest(models.Model):
    """'Segnala un'inesattezza': a citizen disputes a progress update; staff answer publicly. Both the
    contest and the answer are entries of the mandate's transparency log."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.PROTECT, related_name="contests", verbose_name=_("aggiornamento")
    )
    claim = models.CharField(_("che cosa contesti"), max_length=20, choices=ContestedClaim.choices)
    reason = models.TextField(_("motivo"))
    link = models.URLField(_("link a una fonte"), max_length=500, blank=True)
    document = models.FileField(_("documento"), upload_to="contests/%Y/%m/", blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("segnalata il"), default=timezone.now)
    ledger_entry = TenantOneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("risposta"), blank=True)
    answer_html = models.TextField(editable=False, blank=True)
    answered_at = models.DateTimeField(_("risposta il"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_ledger_entry = TenantOneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("segnalazione di inesattezza")
        verbose_name_plural = _("segnalazioni di inesattezza")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["municipality", "answered_at", "created_at"], name="contest_queue_idx"),
            models.Index(fields=["update", "created_at"], name="contest_update_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ledger_entry", "municipality"], name="contest_unique_entry"),
            models.UniqueConstraint(
                fields=["answer_ledger_entry", "municipality"], name="contest_unique_answer_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_claim_display()}: {self.reason[:60]}"
