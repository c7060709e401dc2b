"""The review editor's model: a parsed tree flattened into an outline of items, and an ordered list of
edit operations applied to it. Pure functions; nothing here touches the database.

The tree is parsed once, on upload, and stored with its items' ids; the edits are stored beside it and
re-applied in order (also to the same document uploaded again). An item is a section or an action with
a depth in the outline; an action with deeper actions below it is a group heading. Parsers may add
"confidence" (0–1), "flags" and "source" ({"page", "text"}) to each node and "confidence", "layout",
"layout_reason" to the document: they default to 1.0, no flags and no source."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from openmandato.importer.errors import ImportRejected
from openmandato.importer.tree import ActionNode, PrincipleNode, ProgramTree, SectionNode
from openmandato.programs.models import TITLE_MAX_LENGTH

REVIEW_BELOW = 0.8  # items less sure than this go to the "Da controllare" list
LOW_DOCUMENT_CONFIDENCE = 0.5  # below this the document was not structured with confidence
CODE_MAX_LENGTH = 20
SECTION_TITLE_MAX_LENGTH = 255
MAX_EDITS = 5000
OPERATIONS = frozenset(
    {
        "delete",
        "exclude",
        "kind",
        "group",
        "ungroup",
        "indent",
        "outdent",
        "up",
        "down",
        "merge",
        "split",
        "edit",
        "meta",
    }
)
META_FIELDS = ("municipality", "title", "period", "mayor")
PERIOD = re.compile(r"^(19|20)\d{2}-(19|20)\d{2}$")
SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=\S)|\n+")


class EditRejected(ImportRejected):
    """An edit that cannot apply (unknown item, impossible move, invalid value)."""


# --- flatten ---------------------------------------------------------------------------------------


def confidence_of(node: dict) -> float:
    try:
        value = float(node.get("confidence", 1.0))
    except (TypeError, ValueError):
        return 1.0
    return min(1.0, max(0.0, value)) if value == value else 1.0


def _common(node: dict) -> dict:
    source = node.get("source") or {}
    if not isinstance(source, dict):
        source = {}
    return {
        "confidence": confidence_of(node),
        "flags": [str(flag) for flag in node.get("flags") or []],
        "source": {"page": source.get("page"), "text": str(source.get("text") or "")},
        "areas": [str(area) for area in node.get("areas") or []],
        "excluded": False,
    }


def flatten(tree: dict) -> list[dict]:
    """The tree's sections and actions in document order, with ids n1, n2, … (stable for one parse)."""
    items: list[dict] = []

    def action(node: dict, depth: int) -> None:
        items.append(
            {
                "id": f"n{len(items) + 1}",
                "kind": "action",
                "depth": depth,
                "code": node.get("code") or "",
                "title": node.get("title") or "",
                "document_title": node.get("title") or "",
                "text": node.get("text") or "",
                "document_text": node.get("text") or "",
                "summary": "",
                "objective": "",
                "extra": {key: node[key] for key in ("dup_mission", "dup_program", "due") if node.get(key)},
                **_common(node),
            }
        )
        for child in node.get("actions") or []:
            action(child, depth + 1)

    def section(node: dict, depth: int) -> None:
        items.append(
            {
                "id": f"n{len(items) + 1}",
                "kind": "section",
                "depth": depth,
                "code": "",
                "title": node.get("title") or "",
                "document_title": node.get("title") or "",
                "text": "",
                "document_text": node.get("summary") or node.get("objective") or "",
                "summary": node.get("summary") or "",
                "objective": node.get("objective") or "",
                "extra": {},
                **_common(node),
            }
        )
        for child in node.get("actions") or []:
            action(child, depth + 1)
        for child in node.get("sections") or []:
            section(child, depth + 1)

    for node in tree.get("sections") or []:
        section(node, 0)
    return items


def normalise(items: list[dict]) -> list[dict]:
    """Make depths consistent: an item is at most one level below the item it hangs from, a section
    never hangs from an action, an excluded item holds nothing. Marks actions outside every section."""
    stack: list[dict] = []
    for item in items:
        target = max(0, min(item["depth"], len(stack)))
        del stack[target:]
        if item["kind"] == "section":
            while stack and stack[-1]["kind"] == "action":
                stack.pop()
        item["depth"] = len(stack)
        item["orphan"] = item["kind"] == "action" and not stack and not item["excluded"]
        if not item["excluded"]:
            stack.append(item)
    return items


# --- edits -----------------------------------------------------------------------------------------


def _index(items: list[dict], item_id: str) -> int:
    for index, item in enumerate(items):
        if item["id"] == item_id:
            return index
    raise EditRejected(_("Voce non trovata: forse è stata eliminata."))


def _subtree_end(items: list[dict], index: int) -> int:
    depth = items[index]["depth"]
    end = index + 1
    while end < len(items) and items[end]["depth"] > depth:
        end += 1
    return end


def _clean_text(value, limit: int | None = None) -> str:
    text = str(value or "").replace("\x00", "").replace("\r\n", "\n").strip()
    return text[:limit] if limit else text


def title_from(text: str) -> str:
    first = SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    if len(first) > TITLE_MAX_LENGTH:
        first = first[: TITLE_MAX_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return first


def split_points(text: str) -> list[tuple[int, str]]:
    """Where a text can be split: the start of every sentence or line after the first."""
    return [(match.end(), text[match.end() : match.end() + 60]) for match in SENTENCE_END.finditer(text)]


def _validated_fields(item: dict, data: dict) -> dict:
    fields: dict = {}
    if "title" in data:
        title = " ".join(_clean_text(data["title"]).split())
        limit = SECTION_TITLE_MAX_LENGTH if item["kind"] == "section" else TITLE_MAX_LENGTH
        if not title or len(title) > limit:
            raise EditRejected(_("Il titolo va da 1 a %(n)d caratteri.") % {"n": limit})
        fields["title"] = title
    if "code" in data:
        code = _clean_text(data["code"])
        if len(code) > CODE_MAX_LENGTH or "\n" in code:
            raise EditRejected(_("Il numero ha al massimo 20 caratteri."))
        fields["code"] = code
    for key in ("text", "summary", "objective"):
        if key in data:
            fields[key] = _clean_text(data[key], 50_000)
    if "areas" in data:
        raw = data["areas"]
        names = raw if isinstance(raw, list) else re.split(r"[;\n]", str(raw or ""))
        areas = []
        for name in names:
            name = " ".join(_clean_text(name).split())
            if len(name) > 255:
                raise EditRejected(_("Il nome di un'area ha al massimo 255 caratteri."))
            if name and name not in areas:
                areas.append(name)
        fields["areas"] = areas
    return fields


def _validated_meta(data: dict) -> dict:
    meta = {}
    limits = {"municipality": 120, "title": 200, "mayor": 200, "period": 9}
    for key in META_FIELDS:
        if key in data:
            value = " ".join(_clean_text(data[key]).split())
            if len(value) > limits[key]:
                raise EditRejected(_("Valore troppo lungo: %(field)s.") % {"field": key})
            if key == "period" and value and not PERIOD.match(value.replace("–", "-")):
                raise EditRejected(_("Il periodo si scrive come 2024-2029."))
            meta[key] = value.replace("–", "-") if key == "period" else value
    return meta


def apply_edit(items: list[dict], meta: dict, edit: dict) -> None:
    """Apply one operation in place; raise EditRejected (and change nothing) when it cannot apply."""
    op = edit.get("op")
    if op not in OPERATIONS:
        raise EditRejected(_("Operazione sconosciuta."))
    if op == "meta":
        meta.update(_validated_meta(edit.get("fields") or {}))
        return
    index = _index(items, str(edit.get("id") or ""))
    item = items[index]
    depth = item["depth"]
    if op == "delete":
        del items[index]
    elif op == "exclude":
        item["excluded"] = not item["excluded"]
    elif op == "kind":
        kind = edit.get("kind")
        if kind not in ("section", "action"):
            raise EditRejected(_("Operazione sconosciuta."))
        if kind == "action" and len(item["title"]) > TITLE_MAX_LENGTH:
            item["text"] = item["text"] or item["title"]
            item["title"] = title_from(item["title"])
        item["kind"] = kind
    elif op == "group":
        if item["kind"] != "action":
            raise EditRejected(_("Solo un'azione può diventare un titolo di gruppo."))
        end = index + 1
        while end < len(items) and items[end]["depth"] >= depth and items[end]["kind"] == "action":
            items[end]["depth"] += 1
            end += 1
        if end == index + 1:
            raise EditRejected(_("Non ci sono azioni dopo questa da raggruppare."))
    elif op == "ungroup":
        end = _subtree_end(items, index)
        if end == index + 1:
            raise EditRejected(_("Questa voce non contiene altre voci."))
        for child in items[index + 1 : end]:
            child["depth"] -= 1
    elif op == "indent":
        if index == 0 or items[index - 1]["depth"] < depth:
            raise EditRejected(_("Non c'è una voce sopra, allo stesso livello, in cui spostarla."))
        for child in items[index : _subtree_end(items, index)]:
            child["depth"] += 1
    elif op == "outdent":
        if depth == 0:
            raise EditRejected(_("La voce è già al primo livello."))
        for child in items[index : _subtree_end(items, index)]:
            child["depth"] -= 1
    elif op in ("up", "down"):
        _move(items, index, op)
    elif op == "merge":
        if index + 1 >= len(items):
            raise EditRejected(_("Non c'è una voce successiva da unire."))
        following = items.pop(index + 1)
        parts = [item["text"] or item["title"], following["text"] or following["title"]]
        item["text"] = "\n".join(part for part in parts if part)
        item["areas"] = item["areas"] + [a for a in following["areas"] if a not in item["areas"]]
        item["source"]["text"] = "\n".join(
            part for part in (item["source"]["text"], following["source"]["text"]) if part
        )
        item["confidence"] = min(item["confidence"], following["confidence"])
    elif op == "split":
        _split(items, index, edit)
    elif op == "edit":
        item.update(_validated_fields(item, edit.get("fields") or {}))
    normalise(items)


def _move(items: list[dict], index: int, direction: str) -> None:
    depth = items[index]["depth"]
    end = _subtree_end(items, index)
    if direction == "up":
        previous = index - 1
        while previous >= 0 and items[previous]["depth"] > depth:
            previous -= 1
        if previous < 0 or items[previous]["depth"] < depth:
            raise EditRejected(_("La voce è già la prima del suo livello."))
        items[previous:end] = items[index:end] + items[previous:index]
    else:
        if end >= len(items) or items[end]["depth"] < depth:
            raise EditRejected(_("La voce è già l'ultima del suo livello."))
        after = _subtree_end(items, end)
        items[index:after] = items[end:after] + items[index:end]


def _split(items: list[dict], index: int, edit: dict) -> None:
    item = items[index]
    text = item["text"] or item["title"]
    try:
        at = int(edit.get("at"))
    except (TypeError, ValueError):
        at = -1
    first, second = text[: max(at, 0)].strip(), text[max(at, 0) :].strip()
    if at <= 0 or at >= len(text) or not first or not second:
        raise EditRejected(_("Scegli dove dividere il testo."))
    ids = {other["id"] for other in items}
    number = 1
    while f"{item['id']}-{number}" in ids:
        number += 1
    clone = {
        **item,
        "id": f"{item['id']}-{number}",
        "code": "",
        "title": title_from(second),
        "document_title": "",
        "document_text": "",
        "text": second,
        "areas": list(item["areas"]),
        "flags": list(item["flags"]),
        "source": dict(item["source"]),
        "extra": {},
    }
    if second in item["title"] or len(item["title"]) > len(first):
        item["title"] = title_from(first)
    item["text"] = first
    items.insert(_subtree_end(items, index), clone)


# --- the whole document ----------------------------------------------------------------------------


def document_meta(tree: dict) -> dict:
    return {key: tree.get(key) or "" for key in META_FIELDS}


def apply_edits(tree: dict, edits: list[dict]) -> tuple[list[dict], dict, int]:
    """The edited outline and metadata, and how many stored edits no longer apply (skipped)."""
    items = normalise(flatten(tree))
    meta = document_meta(tree)
    skipped = 0
    for edit in edits[:MAX_EDITS]:
        try:
            apply_edit(items, meta, edit)
        except EditRejected:
            skipped += 1
    return items, meta, skipped


def build_tree(tree: dict, items: list[dict], meta: dict) -> tuple[ProgramTree, list[str]]:
    """The ProgramTree to import, and the problems that stop the import (an action outside sections)."""
    problems: list[str] = []
    roots: list[SectionNode] = []
    stack: list[tuple[dict, SectionNode | ActionNode]] = []
    for item in items:
        if item["excluded"]:
            continue
        del stack[item["depth"] :]
        if item["kind"] == "section":
            node = SectionNode(
                title=item["title"][:SECTION_TITLE_MAX_LENGTH],
                summary=item["summary"],
                objective=item["objective"],
                areas=[area[:255] for area in item["areas"]],
            )
            if stack:
                stack[-1][1].sections.append(node)
            else:
                roots.append(node)
        else:
            title = item["title"] or title_from(item["text"])
            node = ActionNode(
                title=title[:TITLE_MAX_LENGTH],
                text=item["text"] or title,
                code=item["code"][:CODE_MAX_LENGTH] or None,
            )
            node.areas = [area[:255] for area in item["areas"]]
            for key, value in item["extra"].items():
                setattr(node, key, value)
            node.document_title = item["document_title"] or node.title
            if not stack:
                problems.append(
                    _("L'azione «%(title)s» non è in nessuna sezione: spostala sotto una sezione.")
                    % {"title": title[:60]}
                )
                continue
            stack[-1][1].actions.append(node)
        stack.append((item, node))
    program = ProgramTree(
        municipality=meta.get("municipality") or None,
        title=meta.get("title") or None,
        period=meta.get("period") or None,
        mayor=meta.get("mayor") or None,
        principles=[
            PrincipleNode(title=p.get("title", ""), text=p.get("text", ""))
            for p in tree.get("principles") or []
        ],
        sections=roots,
        warnings=list(tree.get("warnings") or []),
    )
    if not problems and program.is_empty():
        problems.append(_("Non resta nessuna azione da importare."))
    return program, problems


def review_items(items: list[dict]) -> list[dict]:
    """Items to check first: flagged or less sure than REVIEW_BELOW, least sure first."""
    doubtful = [
        (item["confidence"], position, item)
        for position, item in enumerate(items)
        if not item["excluded"] and (item["confidence"] < REVIEW_BELOW or item["flags"] or item.get("orphan"))
    ]
    return [item for _confidence, _position, item in sorted(doubtful, key=lambda row: row[:2])]
