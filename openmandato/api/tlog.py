"""Transparency log API: signed checkpoints, entries by range, RFC 9162 inclusion and consistency proofs,
and witness cosignatures. Mounted under /api/v1/tlog/ by api.py."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema
from ninja.responses import Status

from openmandato.accountability import tlog, verifier
from openmandato.accountability.models import Checkpoint, Evidence, LedgerEntry
from openmandato.api.schemas import ErrorOut
from openmandato.programs.models import Mandate

router = Router(tags=["transparency log"])
ERRORS = {400: ErrorOut, 404: ErrorOut}
MAX_ENTRIES = 1000
MAX_CHECKPOINTS = 500


class BadParameter(Exception):
    pass


class CosignatureIn(Schema):
    cosignature: str


def mandate_for(slug: str) -> Mandate:
    return Mandate.objects.public().current().for_slug(slug)


def _int(name: str, raw: str | None, *, default: int | None = None, low: int = 0, high: int) -> int:
    if raw is None or raw == "":
        if default is None:
            raise BadParameter(f"{name} is required")
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise BadParameter(f"{name} must be a non-negative integer")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(f"{name} must be between {low} and {high}")
    return value


def _error(message: str, status: int = 400):
    return Status(status, {"detail": message})


def _checkpoints(mandate: Mandate):
    return (
        Checkpoint.objects.filter(mandate=mandate)
        .select_related("timestamp")
        .prefetch_related("cosignatures")
    )


@router.get("/key", summary="The instance's checkpoint key")
def get_key(request):
    public = verifier.public_bytes(tlog.signing_key())
    return {
        "name": tlog.key_name(),
        "algorithm": "Ed25519",
        "public_key": verifier.b64(public),
        "vkey": tlog.verifier_key(),
    }


@router.get("/{slug}/checkpoint", summary="Latest checkpoint as a signed note (text/plain)")
def get_checkpoint_note(request, slug: str):
    checkpoint = tlog.latest(mandate_for(slug))
    if checkpoint is None:
        raise Http404
    return HttpResponse(tlog.full_note(checkpoint), content_type="text/plain; charset=utf-8")


@router.get(
    "/{slug}/checkpoint.json",
    response={200: dict, **ERRORS},
    summary="Latest checkpoint, timestamp and cosignatures",
)
def get_checkpoint(request, slug: str):
    checkpoint = _checkpoints(mandate_for(slug)).order_by("-tree_size").first()
    if checkpoint is None:
        raise Http404
    return tlog.as_dict(checkpoint)


@router.get(
    "/{slug}/checkpoints",
    response={200: dict, **ERRORS},
    summary="All checkpoints, oldest first (page with ?after=SIZE)",
)
def list_checkpoints(request, slug: str, after: str | None = None, limit: str | None = None):
    mandate = mandate_for(slug)
    try:
        after_size = _int("after", after, default=0, high=2**31)
        count = _int("limit", limit, default=100, low=1, high=MAX_CHECKPOINTS)
    except BadParameter as exc:
        return _error(str(exc))
    rows = list(_checkpoints(mandate).filter(tree_size__gt=after_size).order_by("tree_size")[: count + 1])
    items = [tlog.as_dict(c) for c in rows[:count]]
    return {"items": items, "next_after": items[-1]["tree_size"] if len(rows) > count else None}


@router.get(
    "/{slug}/checkpoints/{size}",
    response={200: dict, **ERRORS},
    summary="One checkpoint by tree size",
    url_name="tlog_checkpoint",
)
def get_checkpoint_by_size(request, slug: str, size: str):
    try:
        tree_size = _int("size", size, high=2**31)
    except BadParameter as exc:
        return _error(str(exc))
    checkpoint = get_object_or_404(_checkpoints(mandate_for(slug)), tree_size=tree_size)
    return tlog.as_dict(checkpoint)


@router.post(
    "/{slug}/checkpoints/{size}/cosignatures",
    response={201: dict, 403: ErrorOut, **ERRORS},
    summary="Add a witness cosignature",
)
def post_cosignature(request, slug: str, size: str, payload: CosignatureIn):
    try:
        tree_size = _int("size", size, high=2**31)
    except BadParameter as exc:
        return _error(str(exc))
    checkpoint = get_object_or_404(Checkpoint, mandate=mandate_for(slug), tree_size=tree_size)
    if len(payload.cosignature) > 1000:
        return _error("cosignature too long")
    try:
        cosignature = tlog.add_cosignature(checkpoint, payload.cosignature)
    except tlog.CosignatureRejected as exc:
        return _error(str(exc), exc.status)
    return Status(
        201, {"witness": cosignature.witness, "tree_size": tree_size, "cosignature": cosignature.line}
    )


@router.get(
    "/{slug}/entries",
    response={200: dict, **ERRORS},
    summary="Entries [start, end) with their canonical bodies",
)
def list_entries(request, slug: str, start: str | None = None, end: str | None = None):
    mandate = mandate_for(slug)
    size = tlog.tree_size(mandate)
    try:
        first = _int("start", start, default=0, high=size)
        last = _int("end", end, default=min(size, first + MAX_ENTRIES), low=first, high=size)
    except BadParameter as exc:
        return _error(str(exc))
    if last - first > MAX_ENTRIES:
        return _error(f"at most {MAX_ENTRIES} entries at a time")
    rows = list(
        LedgerEntry.objects.filter(mandate=mandate, seq__gt=first, seq__lte=last)
        .order_by("seq")
        .values("seq", "kind", "body", "leaf_hash", "update_id")
    )
    files: dict[int, list] = {}
    documents = (
        Evidence.objects.filter(update_id__in=[r["update_id"] for r in rows if r["update_id"]])
        .exclude(file="")
        .order_by("pk")
        .values("pk", "update_id", "sha256")
    )
    slug = mandate.municipality.slug
    for doc in documents:
        url = request.build_absolute_uri(reverse("portal:evidence", args=[slug, doc["pk"]]))
        files.setdefault(doc["update_id"], []).append({"sha256": doc["sha256"], "url": url})
    return {
        "tree_size": size,
        "start": first,
        "end": last,
        "entries": [
            {
                "index": row["seq"] - 1,
                "kind": row["kind"],
                "body": row["body"],
                "leaf_hash": row["leaf_hash"],
                "files": files.get(row["update_id"], []),
            }
            for row in rows
        ],
    }


@router.get(
    "/{slug}/proof/inclusion",
    response={200: dict, **ERRORS},
    summary="RFC 9162 inclusion proof of entry INDEX in a tree of TREE_SIZE",
)
def inclusion(request, slug: str, index: str | None = None, tree_size: str | None = None):
    mandate = mandate_for(slug)
    size = tlog.tree_size(mandate)
    try:
        n = _int("tree_size", tree_size, default=size, low=1, high=max(size, 1))
        m = _int("index", index, high=n - 1)
    except BadParameter as exc:
        return _error(str(exc))
    if size == 0:
        return _error("the log is empty")
    leaves = tlog.leaf_hashes(mandate, 0, n)
    proof = verifier.inclusion_proof(leaves, m)
    return {
        "index": m,
        "tree_size": n,
        "leaf_hash": leaves[m].hex(),
        "root_hash": verifier.root_hash(leaves).hex(),
        "proof": [p.hex() for p in proof],
    }


@router.get(
    "/{slug}/proof/consistency",
    response={200: dict, **ERRORS},
    summary="RFC 9162 consistency proof between two tree sizes",
)
def consistency(request, slug: str, first: str | None = None, second: str | None = None):
    mandate = mandate_for(slug)
    size = tlog.tree_size(mandate)
    try:
        n = _int("second", second, default=size, low=1, high=max(size, 1))
        m = _int("first", first, low=1, high=n)
    except BadParameter as exc:
        return _error(str(exc))
    if size == 0:
        return _error("the log is empty")
    leaves = tlog.leaf_hashes(mandate, 0, n)
    return {
        "first": m,
        "second": n,
        "first_root": verifier.root_hash(leaves[:m]).hex(),
        "second_root": verifier.root_hash(leaves).hex(),
        "proof": [p.hex() for p in verifier.consistency_proof(leaves, m)],
    }
