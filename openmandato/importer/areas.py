"""Responsible areas named by a document or a spreadsheet, shared by the first import, revisions and the
spreadsheet round trip."""

from __future__ import annotations

from openmandato.programs.models import Area, Municipality


def areas_named(
    municipality: Municipality, names: list[str], known: dict[str, Area] | None = None
) -> list[Area]:
    """The municipality's areas with these names, created when new; `known` caches them across calls."""
    known = {} if known is None else known
    for name in names:
        if name not in known:
            known[name], _created = Area.objects.get_or_create(municipality=municipality, name=name)
    return [known[name] for name in names]
