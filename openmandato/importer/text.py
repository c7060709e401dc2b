"""Small pure helpers shared by the layout parsers."""

from __future__ import annotations

import re
from collections import Counter

from openmandato.programs.models import TITLE_MAX_LENGTH

BULLET = re.compile(r"^\s*[-–—•*▪◦]\s+")
BOILERPLATE = re.compile(
    r"^(scarica\b.*\bpdf\b|©|\(c\)\s|.*\ball rights reserved\b|tutti i diritti riservati|puoi scaricare\b"
    r"|pagina \d+( di \d+)?$|\d{1,3}$|cookie\b|privacy policy\b|torna su\b)",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZÀ-Ý“\"'«])")
PERIOD = re.compile(r"\b((?:19|20)\d{2})\s*[-–—/]\s*((?:19|20)\d{2})\b")
_NAME_WORD = r"[A-ZÀ-Ý][\w’'-]*(?:\.(?:co|\w)?)?"
_CONNECTOR = r"(?:d[ei]ll?[’']?|de[il]|sul|in|al|sopra|a)"
MUNICIPALITY = re.compile(
    rf"\b(?:Comune|Città|COMUNE|CITTÀ|CITTA[’']|Citta[’']) (?:di|DI) "
    rf"({_NAME_WORD}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)?{_NAME_WORD})*)"
)
_PLACE = (
    r"([A-ZÀ-Ý][a-zà-ÿ’']+(?:[ -](?:d[ei]ll?[’']|de[il]|sul|in|al|sopra|a) ?[A-ZÀ-Ý][a-zà-ÿ’']+"
    r"|[ -][A-ZÀ-Ý][a-zà-ÿ’']+)?)"
)
# "Milazzo: il programma …", "Il programma per Lentini", "Lentini 2026": the comune named by a heading.
PLACE_HEADINGS = [
    re.compile(
        rf"^{_PLACE}\s*[:|–—-]\s+.*\b(?i:programma|mandato|elezion|linee|candidat|sindac|futuro|comunal)",
        re.MULTILINE,
    ),
    re.compile(
        rf"\b(?:programma|progetto|idee|impegni|insieme)\s+(?:elettorale\s+)?per\s+{_PLACE}\b(?!\s+(?:e|ed)\b)",
    ),
]
NOT_PLACES = {"programma", "obiettivo", "sindaco", "sindaca", "premessa", "introduzione", "il", "la", "linee"}
_PERSON = r"([A-ZÀ-Ý][A-Za-zà-ÿ’']+(?:[ \t]+[A-ZÀ-Ý][A-Za-zà-ÿ’']+){1,2})"
MAYOR_PATTERNS = [
    re.compile(rf"\b(?:[Cc]andidat[oa]\s+)?[Ss]indac[oa]\s*[:–—-]\s*{_PERSON}"),
    re.compile(rf"(?i:candidat[oa]\s+(?:a\s+)?sindac[oa])\s*[:–—-]?\s*{_PERSON}"),
    re.compile(
        rf"^(?i:in fede|firmato|il candidato sindaco|la candidata sindaca)\s*[,:]?\s*{_PERSON}\s*$", re.M
    ),
    re.compile(r"\b([A-ZÀ-Ý][a-zà-ÿ]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ]+)+),?\s+[Ss]indac[oa]\b"),
    re.compile(r"\b[Ss]indac[oa]\s+([A-ZÀ-Ý][a-zà-ÿ]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ]+)+)"),
    re.compile(r"\ba guida (?:di )?([A-ZÀ-Ý][a-zà-ÿ]+\s+[A-ZÀ-Ý][a-zà-ÿ]+)\b"),
]
# A cover or signature line: metadata, never a section or an action.
METADATA_LINE = re.compile(
    r"^(?:(?:candidat[oa]\s+)?sindac[oa]\s*[:–—-]\s*\S.{0,60}|candidat[oa]\s+(?:a\s+)?sindac[oa]|"
    r"(?:comune|citt[àa]) di \S.{0,40}|\(?provincia di \S.{0,30}|in fede\b.{0,60}|elezioni\b.{0,80})$",
    re.IGNORECASE,
)
DOCUMENT_TITLE = re.compile(
    r"^(programma\b|linee\b|piano\b|documento programmatico\b).{0,100}$", re.IGNORECASE
)
DOWNLOAD_TITLE = re.compile(r"^scarica\s+(?:il\s+)?pdf\s+(.+)$", re.IGNORECASE)


# A sentence that commits to something: a future, an intention, a duty or a proposal.
COMMITMENT = re.compile(
    r"\b(?:\w{3,}(?:erà|eranno|irà|iranno|eremo|iremo|aremo)|sarà|saranno|verrà|verranno|intend\w*|"
    r"vogliamo|dobbiamo|vuole|si impegna|ci impegniamo|impegno (?:di|a)\b|propon\w+|prevede|prevediamo|"
    r"priorit[àa]|si conferma|obiettivo è|è necessario|occorre|bisogna|va |vanno |deve |devono )",
    re.IGNORECASE,
)
IMPERATIVE = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ]{2,}(?:are|ere|ire|arre|urre|orre)\b")  # "Realizzare il …"


def is_proposal(text: str) -> bool:
    return bool(COMMITMENT.search(text) or IMPERATIVE.match(text))


def normalise(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split())


def is_boilerplate(line: str) -> bool:
    return bool(BOILERPLATE.match(line))


def is_bullet(line: str) -> bool:
    return bool(BULLET.match(line))


def strip_bullet(line: str) -> str:
    return BULLET.sub("", line, count=1).strip()


def is_heading(line: str) -> bool:
    """A short line that does not end like a sentence."""
    return 0 < len(line) <= 100 and not line.endswith((".", ";", ",", ":", "!")) and not is_bullet(line)


def make_title(text: str, limit: int = TITLE_MAX_LENGTH) -> str:
    """A short title for an action: its first sentence, cut at a word boundary when too long."""
    text = normalise(text)
    first = first_sentence(text).rstrip(" .;:,")
    if len(first) > limit:
        cut = first[: limit - 1]
        if " " in cut:
            cut = cut[: cut.rfind(" ")]
        first = cut.rstrip(" ,;:.(–-") + "…"
    return first[:1].upper() + first[1:]


# A full stop that ends an abbreviation, not a sentence: "S. Nicandro", "Avv. Rossi", "C.C.N.L. Enti",
# "(PROV. AV)", "art. 4", "D.Lgs. 33".
ABBREVIATION = re.compile(
    r"(?:^|[\s(«“\"'])(?:[A-Za-zÀ-ÿ]|avv|dott|dott\.ssa|dr|ing|arch|geom|prof|prof\.ssa|sig|sig\.ra|on|sen|"
    r"ss|nn|art|artt|ecc|es|pag|pagg|prov|loc|fraz|via|v\.le|p\.zza|c\.so|d\.lgs|d\.l|d\.p\.r|"
    r"c\.c\.n\.l|ss\.mm\.ii|s\.p\.a|s\.r\.l|n\.ro|tel|cfr|rif|vol|cap|lett|co|approx|min|max)\.$"
    r"|(?:[A-Za-zÀ-ÿ]{1,4}\.){2,}$",
    re.IGNORECASE,
)


def first_sentence(text: str) -> str:
    """The text up to the first full stop that ends a sentence (abbreviations do not)."""
    for match in SENTENCE_END.finditer(text):
        before = text[: match.start()]
        if before.endswith(".") and ABBREVIATION.search(before[-16:]):
            continue
        return before
    return text


def split_areas(text: str) -> list[str]:
    parts = re.split(r"\s*[;\n]\s*", text)
    return [part.strip(" .,") for part in parts if part.strip(" .,")]


def detect_period(text: str) -> str | None:
    match = PERIOD.search(text)
    if not match or int(match.group(2)) <= int(match.group(1)):
        return None
    return f"{match.group(1)}-{match.group(2)}"


def detect_municipality(text: str) -> str | None:
    names = Counter(
        _name_case(match.group(1)) for match in MUNICIPALITY.finditer(text) if len(match.group(1)) > 2
    )
    if names:
        return names.most_common(1)[0][0]
    for pattern in PLACE_HEADINGS:
        for match in pattern.finditer(text[:20000]):
            if match.group(1).lower() not in NOT_PLACES:
                return match.group(1)
    return None


def _name_case(name: str) -> str:
    """ "BORGOVERDE" -> "Borgoverde"; names already in mixed case are kept as written."""
    return name.title() if name.isupper() else name


def detect_mayor(text: str) -> str | None:
    for pattern in MAYOR_PATTERNS:
        match = pattern.search(text)
        if match:
            return _name_case(" ".join(match.group(1).split()))
    return None


def is_metadata_line(line: str) -> bool:
    return bool(METADATA_LINE.match(line))


def detect_title(lines: list[str]) -> str | None:
    for line in lines[:15]:
        if DOCUMENT_TITLE.match(line) and is_heading(line):
            return re.split(r"\s+\|\s+", line)[0]  # "Programma elettorale | Site name"
    for line in lines:
        match = DOWNLOAD_TITLE.match(line)
        if match:
            return match.group(1).strip()
    return None
