"""Moved to openmandato.core (AuditEntry.record, LoggedModel.log_action); kept for old imports."""

from openmandato.core.audit import record_audit, snapshot  # noqa: F401
