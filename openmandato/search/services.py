"""Read side of search and compare for the portal and the API: filters, one page of results, neighbours.

Each page costs a fixed number of queries: the vocabulary (1, plus 1 when a word is corrected), the
candidates (1) and the page's actions by id (1); compare reads the stored neighbours (1)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from openmandato.programs.models import Action, Mandate
from openmandato.programs.status import Status
from openmandato.search.engine import Results, TextFirst, parts_html, search, snippet_parts
from openmandato.search.similarity import THRESHOLD
from openmandato.search.vocabulary import searchable_actions

PAGE_SIZE = 20
REGIONS = [
    "Abruzzo",
    "Basilicata",
    "Calabria",
    "Campania",
    "Emilia-Romagna",
    "Friuli-Venezia Giulia",
    "Lazio",
    "Liguria",
    "Lombardia",
    "Marche",
    "Molise",
    "Piemonte",
    "Puglia",
    "Sardegna",
    "Sicilia",
    "Toscana",
    "Trentino-Alto Adige",
    "Umbria",
    "Valle d'Aosta",
    "Veneto",
]


def regions() -> list[str]:
    return REGIONS


# Missioni of the national budget structure (D.Lgs. 118/2011, allegato 14) used by the DUP.
MISSIONS = {
    "01": _("Servizi istituzionali, generali e di gestione"),
    "02": _("Giustizia"),
    "03": _("Ordine pubblico e sicurezza"),
    "04": _("Istruzione e diritto allo studio"),
    "05": _("Tutela e valorizzazione dei beni e delle attività culturali"),
    "06": _("Politiche giovanili, sport e tempo libero"),
    "07": _("Turismo"),
    "08": _("Assetto del territorio ed edilizia abitativa"),
    "09": _("Sviluppo sostenibile e tutela del territorio e dell'ambiente"),
    "10": _("Trasporti e diritto alla mobilità"),
    "11": _("Soccorso civile"),
    "12": _("Diritti sociali, politiche sociali e famiglia"),
    "13": _("Tutela della salute"),
    "14": _("Sviluppo economico e competitività"),
    "15": _("Politiche per il lavoro e la formazione professionale"),
    "16": _("Agricoltura, politiche agroalimentari e pesca"),
    "17": _("Energia e diversificazione delle fonti energetiche"),
    "18": _("Relazioni con le altre autonomie territoriali e locali"),
    "19": _("Relazioni internazionali"),
}


@dataclass
class Filters:
    municipality: str = ""  # slug
    region: str = ""
    province: str = ""
    status: str = ""
    mission: str = ""

    @classmethod
    def from_params(cls, params) -> Filters:
        def text(name: str, limit: int = 60) -> str:
            return " ".join(str(params.get(name) or "").split())[:limit]

        status = text("status")
        mission = text("mission")
        return cls(
            municipality=text("comune", 120),
            region=text("region"),
            province=text("province"),
            status=status if status in Status.values else "",
            mission=mission if mission in MISSIONS else "",
        )

    def _place(self, municipality: str) -> Q:
        """The region and province conditions, on the municipality reached by the `municipality` path."""
        condition = Q()
        if self.region:
            # the canonical spelling, compared exactly: the planner's statistics then know how many
            # comuni the region has (iexact compares UPPER(region), of which it knows nothing)
            canonical = {r.lower(): r for r in REGIONS}.get(self.region.lower())
            if canonical:
                condition &= Q(**{f"{municipality}region": canonical})
            else:
                condition &= Q(**{f"{municipality}region__iexact": self.region})
        if self.province:
            condition &= Q(**{f"{municipality}province__iexact": self.province})
        return condition

    def _own(self) -> Q:
        """The conditions on the action itself."""
        condition = Q()
        if self.status:
            condition &= Q(status=self.status)
        if self.mission:
            condition &= Q(dup_mission=self.mission)
        return condition

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.municipality:
            queryset = queryset.filter(
                Q(mandate__municipality__slug=self.municipality)
                | Q(mandate__municipality__name__iexact=self.municipality)
            )
        return queryset.filter(self._place("mandate__municipality__"), self._own())

    def text_first(self) -> TextFirst | None:
        """The searchable actions these filters allow, split into the conditions on the actions alone
        and the mandates allowed, for reading the text index first (engine.candidates) — when they
        narrow by place (region, province) but not to one comune, whose actions are always fewest."""
        if self.municipality or not (self.region or self.province):
            return None
        actions = Action.objects.active().filter(self._own())  # searchable_actions(): one table here
        mandates = Mandate.objects.filter(is_published=True, is_current=True)
        return TextFirst(actions, mandates.filter(self._place("municipality__")))

    @property
    def active(self) -> bool:
        return any((self.municipality, self.region, self.province, self.status, self.mission))


@dataclass
class Row:
    action: Action
    score: float
    matched: int
    snippet: SafeString


@dataclass
class SearchPage:
    results: Results
    rows: list[Row]
    page: int
    pages: int

    @property
    def count(self) -> int:
        return len(self.results.hits)


def run_search(text: str, filters: Filters, page: int = 1, queryset: QuerySet | None = None) -> SearchPage:
    """One page of ranked results for `text` among the searchable actions (or `queryset`), filtered."""
    base = filters.apply(searchable_actions() if queryset is None else queryset)
    results = search(base, text, filters.text_first() if queryset is None else None)
    pages = max(1, math.ceil(len(results.hits) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    hits = results.hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    actions = load_actions([hit.pk for hit in hits])
    terms = results.analysis.terms
    rows = [
        Row(actions[hit.pk], hit.score, hit.matched, parts_html(_snippet(actions[hit.pk], terms)))
        for hit in hits
        if hit.pk in actions
    ]
    return SearchPage(results, rows, page, pages)


def _snippet(action: Action, terms: set[str]) -> list[tuple[str, bool]]:
    """The passage to quote, as snippet_parts: from the full text, or the title when only it matches."""
    parts = snippet_parts(action.text, terms) if action.text else []
    if any(hit for _piece, hit in parts):
        return parts
    title = snippet_parts(action.title, terms)
    return title if any(hit for _piece, hit in title) or not parts else parts


def plain_snippet(action: Action, terms: set[str]) -> tuple[str, list[list[int]]]:
    """The snippet as plain text and the [start, end) offsets of its matching words (for the API)."""
    text, marks = "", []
    for piece, hit in _snippet(action, terms):
        if hit:
            marks.append([len(text), len(text) + len(piece)])
        text += piece
    return text, marks


def load_actions(ids: list[int]) -> dict[int, Action]:
    """The actions of one page by id, with what a result shows (one query)."""
    if not ids:
        return {}
    actions = (
        Action.objects.filter(pk__in=ids)
        .select_related("mandate__municipality", "section")
        .annotate(last_update=Max("updates__date"))
    )
    return {action.pk: action for action in actions}


def load_origin(action_id: int) -> Action | None:
    """A searchable action with what the compare table shows (one query), or None."""
    return (
        searchable_actions()
        .filter(pk=action_id)
        .select_related("mandate__municipality", "section")
        .annotate(last_update=Max("updates__date"))
        .first()
    )


@dataclass
class Neighbour:
    action: Action
    score: float


def similar_actions(origin: Action, filters: Filters, limit: int = 30) -> list[Neighbour]:
    """The stored neighbours of `origin` at or above THRESHOLD, best first, one query."""
    from openmandato.search.models import ActionNeighbour

    visible = filters.apply(searchable_actions()).values("pk")
    rows = (
        ActionNeighbour.objects.filter(action=origin, score__gte=THRESHOLD, neighbour__in=visible)
        .select_related("neighbour__mandate__municipality", "neighbour__section")
        .annotate(last_update=Max("neighbour__updates__date"))
        .order_by("-score", "neighbour_id")[:limit]
    )
    neighbours = []
    for row in rows:
        row.neighbour.last_update = row.last_update
        neighbours.append(Neighbour(row.neighbour, row.score))
    return neighbours


def best_per_municipality(text: str, filters: Filters, limit: int = 30) -> list[Neighbour]:
    """For a typed promise: each comune's best action matching every word (or its synonyms), best first."""
    results = search(filters.apply(searchable_actions()), text, filters.text_first())
    units = len(results.analysis.units)
    best: dict[int, int] = {}
    hits = [hit for hit in results.hits if hit.matched == units]
    municipality_of = dict(
        Action.objects.filter(pk__in=[hit.pk for hit in hits]).values_list("pk", "mandate__municipality_id")
    )
    for hit in hits:
        best.setdefault(municipality_of[hit.pk], hit.pk)
    chosen = [hit for hit in hits if hit.pk in set(best.values())][:limit]
    actions = load_actions([hit.pk for hit in chosen])
    return [Neighbour(actions[hit.pk], hit.score) for hit in chosen if hit.pk in actions]
