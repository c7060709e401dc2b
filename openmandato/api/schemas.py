import datetime
from typing import Literal

from ninja import Field, Schema

from openmandato.programs.status import Status

StatusValue = Literal["not_started", "in_progress", "partially_done", "done", "stalled", "abandoned"]
assert set(StatusValue.__args__) == set(Status.values)


class MunicipalityOut(Schema):
    slug: str
    name: str
    province: str
    region: str
    istat_code: str
    current_mandate: int | None = None


class MandateOut(Schema):
    id: int
    municipality: str = Field(..., alias="municipality.slug")
    title: str
    mayor: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    is_current: bool
    progress: float | None = None


class SectionOut(Schema):
    id: int
    parent: int | None = Field(None, alias="parent_id")
    position: int
    title: str
    summary: str
    objective: str
    weight: float
    areas: list[str]
    progress: float | None = None


class ActionOut(Schema):
    id: int
    mandate: int = Field(..., alias="mandate_id")
    section: int = Field(..., alias="section_id")
    section_path: list[str]
    parent: int | None = Field(None, alias="parent_id")
    code: str
    title: str
    text: str
    areas: list[str]
    status: StatusValue
    progress: int
    weight: float
    due_date: datetime.date | None
    budget: float | None
    dup_mission: str
    dup_program: str
    last_update: datetime.date | None
    supports: int = Field(0, description="citizens who marked the action 'Mi sta a cuore'")
    url: str


class EvidenceOut(Schema):
    kind: str
    title: str
    act_kind: str
    act_number: str
    act_date: datetime.date | None
    url: str
    file_sha256: str = Field(..., alias="sha256")


class UpdateOut(Schema):
    id: int
    action: int = Field(..., alias="action_id")
    date: datetime.date
    status: StatusValue
    progress: int
    note: str
    spent_budget: float | None
    corrects: int | None = Field(None, alias="corrects_id")
    from_indicators: bool
    is_demo: bool
    recorded_at: datetime.datetime = Field(..., alias="created_at")
    ledger_hash: str | None = None
    evidence: list[EvidenceOut]


class MeasurementOut(Schema):
    id: int
    date: datetime.date
    value: float
    note: str


class IndicatorOut(Schema):
    id: int
    action: int = Field(..., alias="action_id")
    name: str
    unit: str
    baseline: float
    baseline_date: datetime.date
    target: float
    target_date: datetime.date
    direction: Literal["up", "down"]
    measurements: list[MeasurementOut]


class LedgerEntryOut(Schema):
    seq: int
    data: dict
    prev_hash: str
    hash: str


class LedgerOut(Schema):
    municipality: str
    algorithm: str
    genesis: str
    head: str
    entries: list[LedgerEntryOut]


class ActIn(Schema):
    act_kind: Literal["delibera_giunta", "delibera_consiglio", "determina", "decreto"]
    act_number: str = Field(..., min_length=1, max_length=30)
    act_date: datetime.date
    url: str = Field("", max_length=500, description="optional: albo pretorio links expire after 15 days")


class LinkIn(Schema):
    url: str = Field(..., max_length=500)
    title: str = Field("", max_length=200)


class UpdateIn(Schema):
    date: datetime.date
    status: StatusValue
    progress: int = Field(..., ge=0, le=100)
    note: str = Field("", max_length=10000)
    spent_budget: float | None = Field(None, ge=0, le=1e12)
    acts: list[ActIn] = Field(default_factory=list, max_length=10)
    links: list[LinkIn] = Field(default_factory=list, max_length=10)
    corrects: int | None = None
    based_on: int | None = Field(None, description="id of the latest update you saw; omit to skip the check")


class MeasurementIn(Schema):
    date: datetime.date
    value: float = Field(..., ge=-1e12, le=1e12)
    note: str = Field("", max_length=500)


class ErrorOut(Schema):
    detail: str


class ActionPage(Schema):
    items: list[ActionOut]
    next_cursor: str | None = Field(None, description="pass as ?cursor= to get the next page")


class UpdatePage(Schema):
    items: list[UpdateOut]
    next_cursor: str | None = None


class SearchHitOut(Schema):
    action: ActionOut
    municipality: str = Field(..., description="the comune's name")
    score: float = Field(..., description="relevance: share of the query matched, then how well")
    snippet: str = Field(..., description="the passage of the action's text that matches, plain text")
    highlights: list[list[int]] = Field(
        ..., description="[start, end) offsets of the matching words in snippet"
    )


class SearchPageOut(Schema):
    query: str
    suggestion: str | None = Field(
        None, description='"forse cercavi": the query with unknown words corrected'
    )
    count: int
    truncated: bool = Field(..., description="more actions matched than are ranked: narrow with the filters")
    page: int
    pages: int
    items: list[SearchHitOut]
