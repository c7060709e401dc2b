"""Spreadsheet formula injection (OWASP "CSV injection"): a cell whose text starts with `=`, `+`, `-`,
`@`, a tab or a carriage return is run as a formula by Excel and LibreOffice. CSV cells get a leading
single quote (the OWASP rule), which spreadsheet programs show as text and `restore()` removes on the
way back in; XLSX cells are written as strings with Excel's "quote prefix" style, never as formulas, so
their text stays exactly as entered."""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The CSV form of a value: text that a spreadsheet would evaluate gets a leading `'`. Text that
    already starts with quotes followed by a trigger gets one more, so `restore()` gives it back."""
    if isinstance(value, str) and value.lstrip("'").startswith(TRIGGERS):
        return "'" + value
    return value


def restore(value):
    """The inverse of `neutralise()`, for spreadsheets imported back."""
    if isinstance(value, str) and value.startswith("'") and value.lstrip("'").startswith(TRIGGERS):
        return value[1:]
    return value
