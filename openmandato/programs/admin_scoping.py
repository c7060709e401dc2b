"""Moved to openmandato.core.admin_scoping; kept for old imports."""

from openmandato.core.admin_scoping import ScopedAdmin, italian_admin_message  # noqa: F401
