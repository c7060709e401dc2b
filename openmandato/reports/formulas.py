"""Moved to openmandato.security.formulas (the export and the spreadsheet import share it)."""

from openmandato.security.formulas import TRIGGERS, neutralise, restore  # noqa: F401
