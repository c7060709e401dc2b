"""The audit log of back-office changes: `obj.log_action(verb, user=...)` for objects of a municipality
(see LoggedModel), `record_audit` for the few that belong to none (a user invited to a municipality)."""

from openmandato.core.models import AuditEntry, snapshot

record_audit = AuditEntry.record

__all__ = ["AuditEntry", "record_audit", "snapshot"]
