"""What search keeps beside the actions: the vocabulary of published words (typo correction, "forse
cercavi…", term frequencies for similarity) and the precomputed similar actions of other comuni."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openmandato.programs.models import Action


class SearchWord(models.Model):
    """A word as printed in published actions (lower case, no accents) and its search term.

    Rebuilt from published actions only (a draft's words never become suggestions). `documents` is the
    number of published actions whose search document holds `term`: the document frequency for IDF.
    Trigram-indexed (pg_trgm GIN on PostgreSQL, an FTS5 trigram table on SQLite).
    """

    word = models.CharField(_("parola"), max_length=60, unique=True)
    term = models.CharField(_("termine"), max_length=60, db_index=True)
    documents = models.PositiveIntegerField(_("azioni"), default=0)

    class Meta:
        verbose_name = _("parola cercabile")
        verbose_name_plural = _("parole cercabili")

    def __str__(self) -> str:
        return self.word


class ActionNeighbour(models.Model):
    """A similar action of another comune, with its score (0–1): the compare page reads these rows."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("somiglianza"))

    class Meta:
        verbose_name = _("impegno simile")
        verbose_name_plural = _("impegni simili")
        constraints = [
            models.UniqueConstraint(fields=["action", "neighbour"], name="neighbour_unique_pair"),
        ]
        indexes = [models.Index(fields=["action", "-score"], name="neighbour_by_score_idx")]

    def __str__(self) -> str:
        return f"{self.action_id} ~ {self.neighbour_id} ({self.score:.2f})"
