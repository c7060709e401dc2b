"""What happened (Event, once per thing) and who is told (Notification, once per user and event).

The unique (user, event) pair and the e-mail state machine below are what make "never the same
notification twice" hold when a task is run again or a worker dies half-way: an e-mail is claimed
(pending → sending) in its own committed UPDATE before it is handed to the SMTP server, and only the
worker that won the claim sends it. A worker killed between the claim and the SMTP answer leaves that one
notification in "sending": it is never sent again automatically (at most once), and after an hour the
sweep marks it failed, where staff see it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openmandato.programs.models import Action, Municipality


class EventKind(models.TextChoices):
    UPDATE = "update", _("Nuovo aggiornamento")
    CORRECTION = "correction", _("Correzione di un aggiornamento")
    STATUS = "status", _("Cambio di stato")
    EVIDENCE = "evidence", _("Nuova fonte")
    MEASUREMENT = "measurement", _("Nuova misurazione di un indicatore")
    OFFICIAL_ANSWER = "official_answer", _("Risposta ufficiale")
    PROPOSAL_ANSWERED = "proposal_answered", _("Risposta a una proposta")
    CONTEST_ANSWERED = "contest_answered", _("Risposta a una segnalazione")
    COMMENT = "comment", _("Nuovo commento (staff)")
    CONTEST = "contest", _("Nuova segnalazione di inesattezza (staff)")
    STALE = "stale", _("Promemoria: azioni da aggiornare (staff)")


class Event(models.Model):
    key = models.CharField(max_length=120, unique=True, help_text="what happened, e.g. update:42")
    kind = models.CharField(_("tipo"), max_length=20, choices=EventKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comune"),
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("azione")
    )
    url = models.CharField(_("indirizzo"), max_length=500)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.key


class EmailState(models.TextChoices):
    NONE = "none", _("nessuna e-mail")
    PENDING = "pending", _("da inviare")
    DIGEST = "digest", _("nel prossimo riepilogo")
    SENDING = "sending", _("in invio")
    SENT = "sent", _("inviata")
    SKIPPED = "skipped", _("nessun indirizzo verificato")
    FAILED = "failed", _("non riuscita")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("utente"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("evento")
    )
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    read_at = models.DateTimeField(_("letta il"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.NONE, db_index=True
    )
    email_attempts = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    email_claim = models.CharField(max_length=32, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(_("inviata il"), null=True, blank=True)
    email_error = models.CharField(_("errore"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("notifica")
        verbose_name_plural = _("notifiche")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_once_per_user_event")
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.event.key} → {self.user_id}"
