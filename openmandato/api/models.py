"""Per-user API tokens: only a hash is stored; the token is shown once, when created."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("utente"),
    )
    name = models.CharField(_("nome"), max_length=100)
    prefix = models.CharField(_("inizio del token"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ultimo uso"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revocato il"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token:{self.pk}"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        token = "om_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, prefix=token[:8], key_hash=hash_token(token)), token
