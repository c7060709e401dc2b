"""Small explicit factory helpers for tests."""

from openmandato.programs.models import Action, Area, Mandate, Municipality, Section


def make_municipality(name="Borgo Prova", **fields) -> Municipality:
    return Municipality.objects.create(name=name, **fields)


def make_mandate(municipality=None, title="Programma di prova", is_current=True, **fields) -> Mandate:
    municipality = municipality or make_municipality()
    return Mandate.objects.create(municipality=municipality, title=title, is_current=is_current, **fields)


def make_section(mandate, title="Sezione", position=0, **fields) -> Section:
    return Section.objects.create(mandate=mandate, title=title, position=position, **fields)


def make_actions(section, count, **fields) -> list[Action]:
    return [
        Action.objects.create(section=section, position=i, code=str(i + 1), title=f"Azione {i + 1}", **fields)
        for i in range(count)
    ]


def make_area(municipality, name="Area lavori pubblici") -> Area:
    return Area.objects.create(municipality=municipality, name=name)
