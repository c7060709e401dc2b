"""What search keeps beside the actions: the vocabulary of published words (typo correction, "forse
cercavi…", term frequencies for similarity) and the precomputed similar actions of other comuni."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openmandato.core.models import TenantRow
from openmandato.programs.models import Action


class SearchWord(models.Model):
    """A word as printed in published actions (lower case, no accents) and its search term.

    Counted from published actions only (a draft's words never become suggestions): `uses` is the number
    of searchable actions printing the word, and the word goes when it drops to 0. `documents` is a copy
    of its term's SearchTerm.documents (the correction ranks by it). Trigram-indexed (pg_trgm GIN on
    PostgreSQL, an FTS5 trigram table on SQLite).
    """

    word = models.CharField(_("parola"), max_length=60, unique=True)
    term = models.CharField(_("termine"), max_length=60, db_index=True)
    documents = models.PositiveIntegerField(_("azioni"), default=0)
    uses = models.IntegerField(_("usi"), default=0)

    class Meta:
        verbose_name = _("parola cercabile")
        verbose_name_plural = _("parole cercabili")

    def __str__(self) -> str:
        return self.word


class SearchTerm(models.Model):
    """A search term and the number of searchable actions whose search document holds it: the document
    frequency for IDF (similarity) and for choosing an action's distinctive terms (its candidates)."""

    term = models.CharField(_("termine"), max_length=60, unique=True)
    documents = models.IntegerField(_("azioni"), default=0)

    class Meta:
        verbose_name = _("termine cercabile")
        verbose_name_plural = _("termini cercabili")

    def __str__(self) -> str:
        return self.term


class MandateVocabulary(models.Model):
    """What one mandate's searchable actions added to SearchTerm and SearchWord when last counted, so
    that refreshing one comune subtracts its old counts and adds the new ones without reading the others.

    `mandate_id` is a plain number, not a foreign key: a deleted mandate's counts must still be found to
    be subtracted."""

    mandate_id = models.BigIntegerField(_("mandato"), primary_key=True)
    actions = models.PositiveIntegerField(_("azioni"), default=0)
    terms = models.JSONField(_("termini"), default=dict)  # {term: actions holding it}
    words = models.JSONField(_("parole"), default=dict)  # {word: [term, actions printing it]}

    class Meta:
        verbose_name = _("vocabolario di un mandato")
        verbose_name_plural = _("vocabolari dei mandati")

    def __str__(self) -> str:
        return str(self.mandate_id)


class ActionNeighbour(TenantRow):
    """A similar action of another comune, with its score (0–1): the compare page reads these rows.
    The row belongs to the comune of `action`."""

    tenant_parent = "action"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("somiglianza"))

    class Meta:
        verbose_name = _("impegno simile")
        verbose_name_plural = _("impegni simili")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "neighbour", "municipality"], name="neighbour_unique_pair"
            ),
        ]
        indexes = [models.Index(fields=["action", "-score"], name="neighbour_by_score_idx")]

    def __str__(self) -> str:
        return f"{self.action_id} ~ {self.neighbour_id} ({self.score:.2f})"
