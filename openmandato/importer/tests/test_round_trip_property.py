"""Property: any program tree, rendered as a Markdown document and parsed back, gives the same tree."""

from hypothesis import given, settings
from hypothesis import strategies as st

from openmandato.importer.parsing import parse_blocks
from openmandato.importer.reading import read_bytes

WORDS = [
    "scuola",
    "parco",
    "strada",
    "biblioteca",
    "quartiere",
    "servizio",
    "cittadini",
    "piazza",
    "giovani",
    "anziani",
    "ambiente",
    "ciclabile",
    "mercato",
    "teatro",
    "sportello",
    "verde",
    "rifiuti",
    "energia",
    "trasporto",
    "sicurezza",
    "cultura",
    "impresa",
    "lavoro",
    "salute",
    "acqua",
    "illuminazione",
]
word = st.sampled_from(WORDS)
sentence = st.lists(word, min_size=3, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
title = st.lists(word, min_size=1, max_size=4, unique=True).map(lambda ws: " ".join(ws).capitalize())
action = st.tuples(sentence, st.lists(sentence, min_size=0, max_size=3))
section = st.tuples(title, st.lists(action, min_size=1, max_size=6))
program = st.lists(section, min_size=1, max_size=4, unique_by=lambda s: s[0]).filter(
    lambda sections: sum(len(children) or 1 for _t, actions in sections for _a, children in actions) >= 2
)


def render(sections) -> str:
    lines = ["# Programma di mandato 2024-2029", ""]
    for heading, actions in sections:
        lines += [f"## {heading}", ""]
        for number, (text, children) in enumerate(actions, 1):
            lines.append(f"{number}. {text}")
            lines += [f"   {number}.{sub} {child}" for sub, child in enumerate(children, 1)]
        lines.append("")
    return "\n".join(lines)


def shape(sections) -> list:
    return [
        (
            heading,
            [
                (str(n), text, [(f"{n}.{s}", c) for s, c in enumerate(children, 1)])
                for n, (text, children) in enumerate(actions, 1)
            ],
        )
        for heading, actions in sections
    ]


@settings(max_examples=60, deadline=None)
@given(program)
def test_rendered_and_parsed_back_gives_the_same_tree(sections):
    tree = parse_blocks(read_bytes(render(sections).encode(), "programma.md").blocks)
    [root] = tree.sections
    parsed = [
        (s.title, [(a.code, a.text, [(c.code, c.text) for c in a.actions]) for a in s.actions])
        for s in root.sections
    ]
    assert parsed == shape(sections)
