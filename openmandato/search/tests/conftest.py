import pytest

from openmandato.programs.models import Action, Mandate, Municipality, Section
from openmandato.search.similarity import refresh_all
from openmandato.search.vocabulary import rebuild_vocabulary


def make_program(name, sections, *, region="", province="", published=True, current=True) -> Mandate:
    """A comune with one mandate; `sections` maps a section title to [(title, text, dup)]."""
    municipality = Municipality.objects.create(name=name, region=region, province=province)
    mandate = Mandate.objects.create(
        municipality=municipality, title=f"Programma di {name}", is_current=current, is_published=published
    )
    for s_pos, (title, actions) in enumerate(sections.items()):
        section = Section.objects.create(mandate=mandate, title=title, position=s_pos)
        for a_pos, (action_title, text, *dup) in enumerate(actions):
            mission, program = dup[0] if dup else ("", "")
            Action.objects.create(
                section=section,
                position=a_pos,
                title=action_title,
                text=text,
                dup_mission=mission,
                dup_program=program,
            )
    return mandate


@pytest.fixture
def comuni(db):
    """Three small comuni with promises citizens search for, indexed as the background task does."""
    make_program(
        "Borgo Alto",
        {
            "Servizi alla persona": [
                (
                    "Potenziamento dei servizi di telemedicina",
                    "Supporto ai medici di base per le visite a distanza.",
                ),
                ("Nuovi asili per la prima infanzia", "Due asili comunali nelle frazioni."),
                ("Casa di riposo comunale", "Più posti letto per gli anziani."),
            ],
            "Territorio": [
                (
                    "Riqualificazione dei parchi cittadini",
                    "Nuovi giochi e panchine nei parchi.",
                    ("09", "02"),
                ),
                (
                    "Piano della viabilità e nuovi parcheggi",
                    "Parcheggi di interscambio e zone 30.",
                    ("10", "05"),
                ),
                ("Piste ciclabili nel centro", "Una rete di piste ciclabili protette.", ("10", "05")),
            ],
        },
        region="Piemonte",
        province="TO",
    )
    make_program(
        "Riva Bassa",
        {
            "Salute": [
                (
                    "Telemedicina per gli anziani delle frazioni",
                    "Visite a distanza con il distretto sanitario.",
                ),
            ],
            "Istruzione": [
                (
                    "Didattica digitale nelle scuole medie",
                    "Lavagne interattive in ogni classe.",
                    ("04", "02"),
                ),
            ],
            "Ambiente": [
                ("Mille alberi nei giardini pubblici", "Nuove alberature nei giardini.", ("09", "02")),
                (
                    "Analisi delle macroaree produttive",
                    "Studio delle aree industriali dismesse.",
                    ("14", "01"),
                ),
            ],
        },
        region="Toscana",
        province="FI",
    )
    make_program(
        "Segreta",
        {"Bozza": [("Zanzariere comunali antizanzara", "Disinfestazione delle zanzare.")]},
        region="Lazio",
        published=False,
    )
    rebuild_vocabulary()
    refresh_all()
