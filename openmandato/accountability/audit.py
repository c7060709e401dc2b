"""The audit log of back-office changes."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict

from openmandato.accountability.models import AuditEntry


def snapshot(instance) -> dict:
    """A JSON-safe picture of a model instance's editable fields."""
    data = model_to_dict(instance)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def record_audit(user, municipality_id, verb: str, instance, *, before=None, after=None) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        municipality_id=municipality_id,
        verb=verb,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        before=before,
        after=after,
    )
