"""The demo: both sample programs, a clearly-labelled invented history and a staff account."""

from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from openmandato.accountability.models import ActKind, EvidenceKind
from openmandato.accountability.services import (
    EvidenceInput,
    add_indicator,
    add_measurement,
    current_update,
    derived_progress,
    record_progress,
)
from openmandato.core.batching import write_batch
from openmandato.core.models import Membership, Role
from openmandato.importer.parsing import parse_blocks
from openmandato.importer.reading import read_document
from openmandato.importer.services import ImportOutcome, import_program
from openmandato.programs.models import Action, Mandate, Municipality
from openmandato.programs.status import Status

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_USERNAME = "demo"
DEMO_NOTE = "[DEMO] Dato dimostrativo generato automaticamente: non descrive l'attività reale del Comune."
CLAIMS = (Status.DONE, Status.PARTIALLY_DONE)


@dataclass(frozen=True)
class DemoIndicator:
    section: str
    code: str | None
    text_start: str
    name: str
    unit: str
    baseline: str
    target: str
    measurements: tuple[tuple[int, str], ...]  # (year, value)


@dataclass(frozen=True)
class DemoProgram:
    filename: str
    name: str
    province: str
    region: str
    istat_code: str
    period: str | None = None  # when the document itself does not say it
    indicators: tuple[DemoIndicator, ...] = ()


DEMO_PROGRAMS = [
    DemoProgram(
        "cremona-linee-di-mandato-2019.txt",
        "Cremona",
        "CR",
        "Lombardia",
        "019036",
        period="2019-2024",
        indicators=(
            DemoIndicator(
                "PIANO LOCALE GIOVANI",
                None,
                "partire dall’orientamento scolastico",
                "Giovani seguiti dall'orientamento Informagiovani",
                "persone/anno",
                "800",
                "1500",
                ((2020, "820"), (2021, "960"), (2022, "1130"), (2023, "1290")),
            ),
        ),
    ),
    DemoProgram(
        "valenza-programma-elettorale-2020-2025.txt",
        "Valenza",
        "AL",
        "Piemonte",
        "006174",
        indicators=(
            DemoIndicator(
                "Ambiente & Salute",
                "8",
                "Raddoppiare il progetto",
                "Alberi piantati per ogni nato",
                "alberi per nato",
                "1",
                "2",
                ((2021, "1.0"), (2022, "1.3"), (2023, "1.5"), (2024, "1.8"), (2025, "2.0")),
            ),
            DemoIndicator(
                "Ambiente & Salute",
                "1",
                "Introduzione di una tariffa puntuale",
                "Raccolta differenziata",
                "%",
                "58",
                "75",
                ((2021, "60.5"), (2022, "64.0"), (2023, "67.2"), (2024, "70.1")),
            ),
            DemoIndicator(
                "Bellezza",
                "2",
                "Conclusione iter per la nuova illuminazione",
                "Punti luce a LED sul totale",
                "%",
                "15",
                "100",
                ((2021, "25"), (2022, "48"), (2023, "72"), (2024, "90")),
            ),
        ),
    ),
]


def load_demo_programs(*, with_history: bool = True) -> list[ImportOutcome]:
    """Import the demo programs; `with_history` adds the invented indicators and update history."""
    outcomes = []
    for program in DEMO_PROGRAMS:
        with transaction.atomic(), write_batch():
            Municipality.objects.update_or_create(
                slug=program.name.lower(),
                defaults={
                    "name": program.name,
                    "province": program.province,
                    "region": program.region,
                    "istat_code": program.istat_code,
                },
            )
            document = read_document(DATA_DIR / program.filename)
            tree = parse_blocks(document.blocks)
            tree.period = tree.period or program.period
            outcome = import_program(
                tree,
                municipality_name=program.name,
                source_filename=document.filename,
                source_sha256=document.sha256,
            )
            if outcome.created and with_history:
                add_demo_indicators(outcome.mandate, program.indicators)
                add_demo_history(outcome.mandate)
        outcomes.append(outcome)
    return outcomes


def add_demo_indicators(mandate: Mandate, indicators: tuple[DemoIndicator, ...]) -> None:
    start = mandate.starts_on or datetime.date(2020, 1, 1)
    end = mandate.ends_on or datetime.date(start.year + 5, 12, 31)
    for spec in indicators:
        action = mandate.actions.get(
            section__title=spec.section, code=spec.code or "", text__startswith=spec.text_start
        )
        Action.objects.filter(pk=action.pk).update(progress_from_indicators=True)
        action.refresh_from_db()
        indicator = add_indicator(
            action,
            user=None,
            system=True,
            name=f"{spec.name} [DEMO]",
            unit=spec.unit,
            baseline=Decimal(spec.baseline),
            baseline_date=start,
            target=Decimal(spec.target),
            target_date=end,
        )
        for year, value in spec.measurements:
            add_measurement(
                indicator,
                user=None,
                system=True,
                date=datetime.date(year, 12, 31),
                value=Decimal(value),
                is_demo=True,
            )
        _declare_done_at_target(action, mandate)


def _declare_done_at_target(action: Action, mandate: Mandate) -> None:
    """Indicators stop at 99 % until someone declares the action done with a source: the demo does."""
    latest = current_update(action)
    if latest is None or latest.progress != 99 or derived_progress(action) != 100:
        return
    rng = random.Random(f"{mandate.municipality.slug}:{action.pk}:done")
    record_progress(
        action,
        user=None,
        system=True,
        status=Status.DONE,
        progress=100,
        date=latest.date,
        note=DEMO_NOTE,
        is_demo=True,
        evidence=[_demo_act(rng, mandate, latest.date)],
    )


def add_demo_history(mandate: Mandate, today: datetime.date | None = None) -> int:
    """Give every leaf action without updates a plausible invented history; returns the updates added."""
    today = today or timezone.localdate()
    start = mandate.starts_on or datetime.date(today.year - 4, 1, 1)
    end = min(mandate.ends_on or today, today)
    added = 0
    leaves = mandate.actions.leaves().filter(updates__isnull=True).select_related("section").order_by("pk")
    for action in leaves:
        rng = random.Random(
            f"{mandate.municipality.slug}:{action.section.title}:{action.position}:{action.code}"
        )
        history = _invented_history(rng, start, end)
        for step in history:
            evidence = [_demo_act(rng, mandate, step["date"])] if step["status"] in CLAIMS else []
            record_progress(
                action, user=None, system=True, note=DEMO_NOTE, is_demo=True, evidence=evidence, **step
            )
            added += 1
        if history and rng.random() < 0.06:
            _demo_correction(action, rng)
            added += 1
    return added


def _invented_history(rng: random.Random, start: datetime.date, end: datetime.date) -> list[dict]:
    steps = rng.choices([0, 1, 2, 3, 4, 5], weights=[8, 12, 25, 25, 18, 12])[0]
    if steps == 0 or end <= start:
        return []
    outcome = rng.choices(
        [Status.DONE, Status.PARTIALLY_DONE, Status.IN_PROGRESS, Status.STALLED, Status.ABANDONED],
        weights=[28, 12, 40, 13, 7],
    )[0]
    span = (end - start).days
    days = sorted(rng.sample(range(30, max(span, 31 + steps)), steps))
    history, progress = [], 0
    for index, offset in enumerate(days):
        last = index == steps - 1
        if last and outcome == Status.DONE:
            status, progress = Status.DONE, 100
        else:
            progress = min(95, progress + rng.randint(10, 35))
            status = outcome if last else Status.IN_PROGRESS
            if status == Status.ABANDONED:
                progress = history[-1]["progress"] if history else 0
        history.append(
            {"date": start + datetime.timedelta(days=offset), "status": status, "progress": progress}
        )
    return history


def _demo_act(rng: random.Random, mandate: Mandate, date: datetime.date) -> EvidenceInput:
    kind = rng.choice([ActKind.GIUNTA, ActKind.CONSIGLIO, ActKind.DETERMINA])
    number = str(rng.randint(1, 480))
    act_date = date - datetime.timedelta(days=rng.randint(0, 20))
    slug = mandate.municipality.slug
    return EvidenceInput(
        kind=EvidenceKind.ACT,
        title=f"[DEMO] {kind.label} n. {number}",
        act_kind=kind,
        act_number=number,
        act_date=act_date,
        url=f"https://albo.example.org/{slug}/{kind.value}/{act_date.year}/{number}",
    )


def _demo_correction(action: Action, rng: random.Random) -> None:
    latest = current_update(action)
    if latest is None or latest.status in CLAIMS:
        return
    record_progress(
        action,
        user=None,
        system=True,
        status=latest.status,
        progress=max(0, latest.progress - rng.randint(5, 10)),
        date=latest.date,
        note=f"{DEMO_NOTE}\n\nCorrezione: l'avanzamento indicato era sovrastimato.",
        corrects=latest,
        is_demo=True,
    )


def ensure_demo_staff() -> tuple[str, str]:
    """The demo staff account, administrator of every demo municipality; its password is kept in
    var/demo_password so every run prints the same one."""
    password_file = settings.VAR_DIR / "demo_password"
    if password_file.exists():
        password = password_file.read_text(encoding="utf-8").strip()
    else:
        password = secrets.token_urlsafe(12)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password, encoding="utf-8")
        password_file.chmod(0o600)
    user, _created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"first_name": "Staff", "last_name": "Demo"}
    )
    user.is_staff = True
    user.set_password(password)
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["core", "programs", "accountability"])
    )
    for program in DEMO_PROGRAMS:
        municipality = Municipality.objects.get(slug=program.name.lower())
        Membership.objects.get_or_create(user=user, municipality=municipality, role=Role.ADMINISTRATOR)
    return DEMO_USERNAME, password
