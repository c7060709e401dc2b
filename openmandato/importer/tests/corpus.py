"""A synthetic corpus: program trees we know, rendered as the documents municipalities publish (plain
text, Markdown, HTML pages with menus and cookie banners, DOCX with real numbering, PDF with running
headers, page numbers, hyphenation and tables), in each layout the importer must recognise."""

from __future__ import annotations

import io
import itertools
import random
import re
from dataclasses import dataclass, field

VERBS = [
    "Riqualificare",
    "Potenziare",
    "Realizzare",
    "Avviare",
    "Ampliare",
    "Sostenere",
    "Creare",
    "Rinnovare",
    "Promuovere",
    "Installare",
    "Digitalizzare",
    "Ristrutturare",
    "Sviluppare",
    "Aprire",
    "Valorizzare",
]
OBJECTS = [
    "il parco giochi",
    "la biblioteca civica",
    "le piste ciclabili",
    "il centro anziani",
    "la rete idrica",
    "lo sportello unico",
    "il mercato coperto",
    "la scuola primaria",
    "il teatro comunale",
    "il trasporto locale",
    "la raccolta differenziata",
    "i servizi sociali",
    "il verde pubblico",
    "la casa di quartiere",
    "l'illuminazione pubblica",
    "il polo sportivo",
    "l'archivio storico",
    "il museo civico",
]
PLACES = [
    "di via Roma",
    "del quartiere nord",
    "delle frazioni",
    "del centro storico",
    "di piazza Garibaldi",
    "lungo il fiume",
    "della zona industriale",
    "vicino alla stazione",
]
THEMES = [
    "Ambiente e territorio",
    "Scuola e giovani",
    "Welfare e comunità",
    "Cultura e turismo",
    "Mobilità sostenibile",
    "Lavoro e imprese",
    "Sicurezza urbana",
    "Sport e tempo libero",
]
AREAS = ["Settore lavori pubblici", "Settore servizi sociali", "Settore cultura", "Ufficio ambiente"]
DUP_MISSIONS = [
    ("01", "Servizi istituzionali, generali e di gestione"),
    ("04", "Istruzione e diritto allo studio"),
    ("09", "Sviluppo sostenibile e tutela del territorio e dell'ambiente"),
    ("12", "Diritti sociali"),
]


@dataclass
class Act:
    text: str
    code: str | None = None
    children: list[Act] = field(default_factory=list)


@dataclass
class Theme:
    title: str
    actions: list[Act]
    areas: list[str] = field(default_factory=list)
    mission: tuple[str, str] | None = None
    program: tuple[str, str] | None = None


def sentences(rng: random.Random):
    combos = list(itertools.product(VERBS, OBJECTS, PLACES))
    rng.shuffle(combos)
    for verb, obj, place in combos:
        yield f"{verb} {obj} {place} entro la fine del mandato, con un progetto condiviso con i cittadini."


def make_program(seed: int, themes: int = 4, per_theme: int = 5, nested: bool = True) -> list[Theme]:
    rng = random.Random(seed)
    text = sentences(rng)
    result = []
    for t in range(themes):
        actions = []
        for a in range(per_theme):
            children = []
            if nested and a == 1:
                children = [Act(next(text), code=f"{a + 1}.{c + 1}") for c in range(2)]
            actions.append(Act(next(text), code=str(a + 1), children=children))
        result.append(Theme(THEMES[t % len(THEMES)], actions, areas=[AREAS[t % len(AREAS)]]))
    return result


def leaves(themes: list[Theme]) -> list[str]:
    out = []
    for theme in themes:
        for act in theme.actions:
            out.extend(child.text for child in act.children) if act.children else out.append(act.text)
    return out


# ---------------------------------------------------------------- renderers, one per format and layout


def markdown_numbered(
    themes: list[Theme], title="Programma di mandato 2024-2029 del Comune di Borgoverde"
) -> str:
    lines = [f"# {title}", "", "Premessa del sindaco sulle linee di mandato.", ""]
    for theme in themes:
        lines += [f"## {theme.title}", "", f"Assessorato: {'; '.join(theme.areas)}", ""]
        for act in theme.actions:
            lines.append(f"{act.code}. {act.text}")
            for child in act.children:
                lines.append(f"   {child.code} {child.text}")
        lines.append("")
    return "\n".join(lines)


def text_bullets(themes: list[Theme], bullet="•") -> str:
    lines = ["COMUNE DI BORGOVERDE", "Linee programmatiche di mandato 2024-2029", ""]
    for theme in themes:
        lines += [theme.title.upper(), ""]
        for act in theme.actions:
            lines.append(f"{bullet} {act.text}")
            for child in act.children:
                lines.append(f"    - {child.text}")
        lines.append("")
    return "\n".join(lines)


def text_paragraphs(themes: list[Theme]) -> str:
    lines = ["Programma elettorale 2024-2029 — Comune di Borgoverde", ""]
    for theme in themes:
        lines += [theme.title, ""]
        for act in theme.actions:
            for text in [c.text for c in act.children] or [act.text]:
                lines += [text, ""]
    return "\n".join(lines)


def text_dup(themes: list[Theme]) -> str:
    lines = ["Documento Unico di Programmazione 2024-2026 — Sezione strategica", "Comune di Borgoverde", ""]
    for index, theme in enumerate(themes):
        mission = DUP_MISSIONS[index % len(DUP_MISSIONS)]
        lines += [f"Missione {mission[0]} – {mission[1]}", f"Programma 0{index + 1} – {theme.title}", ""]
        for act in theme.actions:
            lines.append(f"Obiettivo strategico {index + 1}.{act.code} – {act.text}")
            for child in act.children:
                lines.append(f"Obiettivo operativo {index + 1}.{child.code} – {child.text}")
        lines.append("")
    return "\n".join(lines)


def markdown_tables(themes: list[Theme]) -> str:
    lines = ["# Programma di mandato del Comune di Borgoverde", ""]
    for theme in themes:
        lines += [f"## {theme.title}", "", "| N. | Azione | Responsabile |", "|---|---|---|"]
        for act in theme.actions:
            for item in act.children or [act]:
                lines.append(f"| {item.code} | {item.text} | {theme.areas[0]} |")
        lines.append("")
    return "\n".join(lines)


def markdown_mixed(themes: list[Theme]) -> str:
    parts = ["# Linee di mandato 2024-2029 — Città di Borgoverde", ""]
    for index, theme in enumerate(themes):
        if index % 3 == 0:
            parts += [f"# {theme.title}", ""] + [f"{a.code}. {a.text}" for a in _flat(theme)] + [""]
        elif index % 3 == 1:
            parts += [f"# {theme.title}", "", "| N. | Azione |", "|---|---|"]
            parts += [f"| {a.code} | {a.text} |" for a in _flat(theme)] + [""]
        else:
            parts += [f"# {theme.title}", ""]
            for act in _flat(theme):
                parts += [act.text, ""]
    return "\n".join(parts)


def _flat(theme: Theme) -> list[Act]:
    """The leaf actions, numbered again 1..n as a table or a flat list prints them."""
    items = [c for a in theme.actions for c in (a.children or [a])]
    return [Act(item.text, code=str(number)) for number, item in enumerate(items, 1)]


def html_page(themes: list[Theme]) -> str:
    body = []
    for theme in themes:
        body.append(f"<h2>{theme.title}</h2><p>Deleghe: {'; '.join(theme.areas)}</p><ol>")
        for act in theme.actions:
            inner = "".join(f"<li>{c.text}</li>" for c in act.children)
            body.append(f"<li>{act.text}{'<ol type=a>' + inner + '</ol>' if inner else ''}</li>")
        body.append("</ol>")
    return f"""<!doctype html><html lang="it"><head><title>Programma</title><style>p{{}}</style></head><body>
<header><div class="logo">Comune di Borgoverde</div>
<nav class="menu"><ul><li>Home</li><li>Servizi al cittadino</li>
<li>Amministrazione trasparente</li></ul></nav></header>
<div id="cookie-banner">Questo sito usa cookie tecnici. <button>Accetta</button></div>
<main><h1>Programma di mandato 2024-2029</h1><p>Le linee programmatiche presentate al Consiglio comunale.</p>
{"".join(body)}</main>
<footer><p>Comune di Borgoverde — P.IVA 00000000000</p>
<ul><li>Privacy policy</li><li>Note legali</li></ul></footer>
<script>var tracking = 1;</script></body></html>"""


def docx_document(themes: list[Theme]) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading("Programma di mandato 2024-2029 — Comune di Borgoverde", level=0)
    document.add_paragraph("Premessa: il programma che presentiamo alla città.")
    for index, theme in enumerate(themes):
        document.add_heading(theme.title, level=1)
        if index % 2:
            table = document.add_table(rows=1, cols=3)
            table.rows[0].cells[0].text, table.rows[0].cells[1].text, table.rows[0].cells[2].text = (
                "N.",
                "Azione",
                "Responsabile",
            )
            for act in _flat(theme):
                row = table.add_row().cells
                row[0].text, row[1].text, row[2].text = act.code, act.text, theme.areas[0]
            continue
        for act in theme.actions:
            document.add_paragraph(act.text, style="List Number")
            for child in act.children:
                document.add_paragraph(child.text, style="List Number 2")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_document(themes: list[Theme], columns: bool = False) -> bytes:
    from fpdf import FPDF

    class Programme(FPDF):
        def header(self):
            self.set_font("DejaVu", size=8)
            self.cell(0, 6, "Comune di Borgoverde — Linee programmatiche di mandato 2024-2029", align="C")
            self.ln(10)

        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(0, 6, f"Pagina {self.page_no()} di {{nb}}", align="C")

    pdf = Programme(format="A4")
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, "Programma di mandato del Comune di Borgoverde")
    for index, theme in enumerate(themes):
        if index and index % 2 == 0:
            pdf.add_page()
        pdf.set_font("DejaVu", "B", 14)
        pdf.ln(3)
        pdf.multi_cell(0, 8, theme.title)
        pdf.set_font("DejaVu", "", 10)
        if index == 1:
            with pdf.table(col_widths=(10, 120, 50)) as table:
                header = table.row()
                for name in ("N.", "Azione", "Responsabile"):
                    header.cell(name)
                for act in _flat(theme):
                    row = table.row()
                    row.cell(act.code)
                    row.cell(act.text)
                    row.cell(theme.areas[0])
            continue
        for act in theme.actions:
            _pdf_item(pdf, f"{act.code}.", act.text, 0, hyphenate=index == 0)
            for child in act.children:
                _pdf_item(pdf, child.code, child.text, 8, hyphenate=False)
    return bytes(pdf.output())


def _pdf_item(pdf, marker: str, text: str, indent: float, hyphenate: bool) -> None:
    """Write "marker text", wrapping by hand so a word can be split with a hyphen across two lines."""
    words = f"{marker} {text}".split()
    lines, current = [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if pdf.get_string_width(candidate) > 150 - indent and current:
            if hyphenate and len(word) > 8:
                head = word[: len(word) // 2]
                lines.append(f"{current} {head}-")
                current = word[len(word) // 2 :]
                continue
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    for number, line in enumerate(lines):
        pdf.set_x(pdf.l_margin + indent + (0 if number == 0 else 6))
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


RENDERERS = {
    "markdown-numbered": lambda t: ("programma.md", markdown_numbered(t).encode()),
    "text-bullets": lambda t: ("programma.txt", text_bullets(t).encode()),
    "text-dashes": lambda t: ("programma.txt", text_bullets(t, bullet="–").encode()),
    "text-paragraphs": lambda t: ("programma.txt", text_paragraphs(t).encode("cp1252")),
    "text-dup": lambda t: ("dup.txt", text_dup(t).encode()),
    "markdown-tables": lambda t: ("programma.md", markdown_tables(t).encode()),
    "markdown-mixed": lambda t: ("programma.md", markdown_mixed(t).encode()),
    "html-page": lambda t: ("programma.html", html_page(t).encode()),
    "docx": lambda t: ("programma.docx", docx_document(t)),
    "pdf": lambda t: ("programma.pdf", pdf_document(t)),
}


def opening(text: str, words: int = 6) -> str:
    return " ".join(re.findall(r"\w+", text.lower())[:words])


def scores(expected_leaves: list[str], found_leaves: list[str]) -> tuple[float, float, float]:
    expected = {opening(t) for t in expected_leaves}
    found = [opening(t) for t in found_leaves]
    true = len(expected & set(found))
    precision = true / len(found) if found else 0.0
    recall = true / len(expected) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
