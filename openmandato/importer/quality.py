"""After a layout has read the document: leave out what is not a commitment, and say how sure we are.

Analysis is not commitment: introductions, premesse, tables of contents, SWOT lists, "criticità",
descriptions of the current situation and lists of laws are dropped (with a warning saying how many).
A lead-in that asks for a complement ("… consentirà di:", "… che ospita:") keeps its list as details
of one action. Every section and action gets a confidence and flags; the tree gets its own."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openmandato.importer.tree import ActionNode, ProgramTree, SectionNode

NOT_PROGRAM = re.compile(
    r"^(?:\d+[.)]?\s*)?(?:introduzione|premessa|premesse|prologo\b.*|presentazione|conclusion[ei]|indice|"
    r"sommario|fonti normative|riferimenti normativi|quadro normativo|normativa di riferimento|"
    r"ringraziamenti|in fede\b.*|lettera\b.*|chi siamo|contatti|documento programmatico)\W*$",
    re.IGNORECASE,
)
ANALYSIS = re.compile(
    r"\b(?:criticit[àa]|stato attuale|situazione attuale|punti di forza|punti di debolezza|swot|"
    r"minacce|analisi del contesto|contesto (?:attuale|di riferimento)|organico del comune|"
    r"dotazione organica|visione generale|una visione chiara)\b",
    re.IGNORECASE,
)
# A lead-in waiting for its complement: the list below it details one action.
LEAD_IN = re.compile(
    r"(?:\b(?:consentir|permetter|obiettiv|finalit|scopo|fine\b|modo\b|utile|util)\w*\s+(?:di|a)|\bper|"
    r"\bche (?:ospita|ospiterà|comprende|include|contiene|riguarda|interessa))\s*:$",
    re.IGNORECASE,
)


def review(tree: ProgramTree) -> None:
    dropped = _drop_prose_opening(tree) + _drop_background(tree)
    kept = []
    for section in tree.sections:
        if _not_program(section):
            dropped += sum(1 for _leaf in section.leaf_actions())
            continue
        dropped += _prune(section)
        kept.append(section)
    tree.sections = [s for s in kept if any(True for _leaf in s.leaf_actions())]
    for section in tree.all_sections():
        for action in section.actions:
            _fold_details(action)
    if dropped:
        tree.warnings.append(
            ngettext(
                "%(count)d elemento di introduzione o analisi non è stato letto come azione.",
                "%(count)d elementi di introduzione o analisi non sono stati letti come azioni.",
                dropped,
            )
            % {"count": dropped}
        )
    _score(tree)


def _drop_background(tree: ProgramTree) -> int:
    """Prose that commits to nothing is kept only when the document has nothing better; beside lists
    and proposals it is background ("Il traffico attraversa il centro ogni mattina")."""
    leaves = list(tree.leaf_actions())
    background = [leaf for leaf in leaves if "prose" in leaf.flags and leaf.confidence < 0.5]
    if not background or len(leaves) - len(background) < 2:
        return 0
    for section in tree.all_sections():
        if any(action in background for action in section.actions):
            section.summary = "\n\n".join(
                [section.summary, *(a.text for a in section.actions if a in background)]
            ).strip()
            section.actions = [a for a in section.actions if a not in background]
    tree.sections = [s for s in tree.sections if any(True for _leaf in s.leaf_actions())]
    return len(background)


def _prose_only(section: SectionNode) -> bool:
    return all("prose" in leaf.flags for leaf in section.leaf_actions())


def _drop_prose_opening(tree: ProgramTree) -> int:
    """Sections of prose before the first section with a list, in a document whose sections mostly
    have lists, are its introduction ("Il patto con la città", a letter to the voters)."""
    sections = _themes(tree)
    listed = [s for s in sections if not _prose_only(s)]
    if len(listed) < 3 or len(listed) < len(sections) / 2:
        return 0
    dropped = 0
    while sections and _prose_only(sections[0]):
        dropped += sum(1 for _leaf in sections.pop(0).leaf_actions())
    return dropped


def _themes(tree: ProgramTree) -> list[SectionNode]:
    """The document's themes: the top sections, or those of its one title section."""
    if len(tree.sections) == 1 and not tree.sections[0].actions and len(tree.sections[0].sections) >= 2:
        return tree.sections[0].sections
    return tree.sections


def _not_program(section: SectionNode) -> bool:
    return bool(NOT_PROGRAM.match(section.title.strip()))


def _prune(section: SectionNode) -> int:
    """Drop sub-sections that are not program or are analysis; returns the leaves dropped."""
    dropped = 0
    if ANALYSIS.search(section.title) and section.actions and not section.sections:
        dropped += sum(1 for _leaf in section.leaf_actions())
        section.actions = []
    keep = []
    for child in section.sections:
        if _not_program(child):
            dropped += sum(1 for _leaf in child.leaf_actions())
            continue
        dropped += _prune(child)
        if any(True for _leaf in child.leaf_actions()) or child.sections:
            keep.append(child)
    section.sections = keep
    for action in list(section.actions):
        if action.actions and ANALYSIS.search(action.text) and len(action.text) <= 80:
            dropped += sum(1 for _leaf in action.leaves())
            section.actions.remove(action)
    return dropped


def _fold_details(action: ActionNode) -> None:
    for child in action.actions:
        _fold_details(child)
    text = action.text if "lead_in" not in action.flags else f"{action.text}:"
    if action.actions and LEAD_IN.search(text) and all(not c.actions for c in action.actions):
        details = "; ".join(c.text.rstrip(" ;.,") for c in action.actions)
        action.text = f"{action.text} {details}."
        action.actions = []
        action.flags = [flag for flag in action.flags if flag != "lead_in"] + ["details_folded"]


def _score(tree: ProgramTree) -> None:
    leaves = list(tree.leaf_actions())
    for section in tree.all_sections():
        for action in section.actions:
            _score_action(action)
        if "guessed_heading" in section.flags:
            section.confidence = min(section.confidence, 0.6)
    if not leaves:
        tree.confidence = 0.0
        return
    mean = sum(leaf.confidence for leaf in leaves) / len(leaves)
    sections = len(_themes(tree))
    shape = 1.0 if sections >= 2 else 0.6  # one section holding everything is a sign of a misreading
    tree.confidence = round(mean * shape, 2)
    if tree.confidence < 0.5:
        tree.warnings.insert(
            0,
            _(
                "Struttura incerta: il documento non ha elenchi o titoli riconoscibili. "
                "Controlla sezioni e azioni una per una prima di importare."
            ),
        )


def _score_action(action: ActionNode) -> None:
    for child in action.actions:
        _score_action(child)
    text = action.text
    if len(text) > 1200 and "long" not in action.flags:
        action.flags.append("long")
        action.confidence = min(action.confidence, 0.4)
    if ANALYSIS.search(text[:120]) and "analysis" not in action.flags:
        action.flags.append("analysis")
        action.confidence = min(action.confidence, 0.4)
    if len(text.split()) <= 2 and "short" not in action.flags:
        action.flags.append("short")
        action.confidence = min(action.confidence, 0.5)
