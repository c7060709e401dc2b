"""Signed checkpoints of each mandate's transparency log, their RFC 3161 timestamps and witness
cosignatures; the instance's Ed25519 key; proofs served from the stored leaves.

The algorithms themselves (Merkle tree, signed notes, DER) live in verifier.py, which citizens run too.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import os
import urllib.error
import urllib.request
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from openmandato.accountability import verifier
from openmandato.accountability.models import (
    Checkpoint,
    CheckpointTimestamp,
    Cosignature,
    LedgerEntry,
)
from openmandato.programs.models import Mandate

log = logging.getLogger(__name__)


# --- The instance key --------------------------------------------------------------------------


def key_path() -> Path:
    return Path(settings.TLOG_KEY_FILE)


def key_name() -> str:
    return settings.TLOG_NAME


@functools.cache
def _load_key(path: str) -> ed25519.Ed25519PrivateKey:
    target = Path(path)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
    key = serialization.load_pem_private_key(target.read_bytes(), password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ValueError(f"{target} is not an Ed25519 private key")
    return key


def signing_key() -> ed25519.Ed25519PrivateKey:
    """The instance's checkpoint key, generated into TLOG_KEY_FILE on first use."""
    return _load_key(str(key_path()))


def verifier_key() -> str:
    return verifier.verifier_key(key_name(), verifier.public_bytes(signing_key()))


def verifier_key_object() -> verifier.VerifierKey:
    return verifier.VerifierKey.parse(verifier_key())


def trusted_tsa() -> list[x509.Certificate] | None:
    return verifier.load_certificates(settings.TSA_CA_FILE) if settings.TSA_CA_FILE else None


def witness_keys() -> dict[str, verifier.VerifierKey]:
    keys = [verifier.VerifierKey.parse(text) for text in settings.TLOG_WITNESSES]
    return {key.name: key for key in keys}


# --- Checkpoints -------------------------------------------------------------------------------


def origin_for(mandate: Mandate) -> str:
    existing = Checkpoint.objects.filter(mandate=mandate).values_list("origin", flat=True).first()
    return existing or f"{key_name()}/{mandate.municipality.slug}/{mandate.pk}"


def leaf_hashes(mandate: Mandate, start: int = 0, end: int | None = None) -> list[bytes]:
    """Stored leaf hashes of entries [start, end) (tree index = seq - 1)."""
    rows = LedgerEntry.objects.filter(mandate=mandate, seq__gt=start)
    if end is not None:
        rows = rows.filter(seq__lte=end)
    return [bytes.fromhex(h) for h in rows.order_by("seq").values_list("leaf_hash", flat=True)]


def tree_size(mandate: Mandate) -> int:
    last = LedgerEntry.objects.filter(mandate=mandate).order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


def sign_checkpoint(mandate: Mandate) -> Checkpoint | None:
    """Sign a checkpoint of the log as it is now (the caller holds the mandate's row lock)."""
    size = tree_size(mandate)
    latest = Checkpoint.objects.filter(mandate=mandate).order_by("-tree_size").first()
    if size == 0 or (latest and latest.tree_size == size):
        return latest
    if latest and latest.tree_size > size:
        # Entries were removed behind the application's back: refuse to write over the evidence.
        raise ValidationError(
            _(
                "Il registro ha meno voci dell'ultimo checkpoint firmato: "
                "nessuna scrittura finché non è verificato."
            ),
            code="log_truncated",
        )
    if latest and latest.tree_size < size:
        tree = verifier.CompactRange.load(latest.compact_range)
        for leaf in leaf_hashes(mandate, latest.tree_size):
            tree.append(leaf)
    else:
        tree = verifier.CompactRange()
        for leaf in leaf_hashes(mandate):
            tree.append(leaf)
    root = tree.root()
    origin = latest.origin if latest else origin_for(mandate)
    body = verifier.checkpoint_body(origin, size, root)
    checkpoint = Checkpoint.objects.create(
        mandate=mandate,
        origin=origin,
        tree_size=size,
        root_hash=root.hex(),
        note=verifier.sign_note(body, key_name(), signing_key()),
        compact_range=tree.dump(),
    )
    if settings.TSA_URL:
        transaction.on_commit(lambda: timestamp_quietly(checkpoint.pk))
    return checkpoint


def latest(mandate: Mandate | None) -> Checkpoint | None:
    if mandate is None:
        return None
    return Checkpoint.objects.filter(mandate=mandate).order_by("-tree_size").first()


def body_of(checkpoint: Checkpoint) -> str:
    return verifier.split_note(checkpoint.note)[0]


def full_note(checkpoint: Checkpoint, cosignatures=None) -> str:
    """The signed note with the witnesses' cosignature lines appended."""
    lines = [c.line for c in (cosignatures if cosignatures is not None else checkpoint.cosignatures.all())]
    return checkpoint.note + "".join(lines)


def as_dict(checkpoint: Checkpoint, *, with_range: bool = False) -> dict:
    stamp = getattr(checkpoint, "timestamp", None)
    cosignatures = list(checkpoint.cosignatures.all())
    return {
        "origin": checkpoint.origin,
        "mandate": checkpoint.mandate_id,
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash,
        "note": full_note(checkpoint, cosignatures),
        "vkey": verifier_key(),
        "created_at": checkpoint.created_at.isoformat(),
        "timestamp": base64.b64encode(bytes(stamp.token)).decode() if stamp else None,
        "timestamp_time": stamp.gen_time.isoformat() if stamp else None,
        "tsa_url": stamp.tsa_url if stamp else None,
        "cosignatures": [c.line for c in cosignatures],
    }


# --- RFC 3161 timestamps -----------------------------------------------------------------------


class TimestampError(Exception):
    pass


def request_timestamp(url: str, digest: bytes, timeout: float = 10) -> bytes:
    """Ask a TSA for a token over `digest`; the token is checked before it is returned."""
    if not url.startswith(("http://", "https://")):
        raise TimestampError(f"TSA_URL must be an http(s) URL: {url}")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=verifier.timestamp_request(digest),
        headers={"Content-Type": "application/timestamp-query"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (URL from settings)
            reply = response.read(1 << 20)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TimestampError(f"TSA {url}: {exc}") from None
    try:
        token = verifier.token_from_response(reply)
        verifier.verify_timestamp(token, digest, trusted_tsa())
    except verifier.VerificationError as exc:
        raise TimestampError(f"TSA {url}: {exc}") from None
    return token


def timestamp(checkpoint: Checkpoint, url: str | None = None) -> CheckpointTimestamp:
    url = url or settings.TSA_URL
    existing = CheckpointTimestamp.objects.filter(checkpoint=checkpoint).first()
    if existing:
        return existing
    digest = hashlib.sha256(body_of(checkpoint).encode()).digest()
    token = request_timestamp(url, digest)
    stamp = verifier.verify_timestamp(token, digest)
    return CheckpointTimestamp.objects.create(
        checkpoint=checkpoint, tsa_url=url, token=token, gen_time=stamp.time
    )


def timestamp_quietly(checkpoint_id: int) -> None:
    """After a write: a TSA that is down must not fail the write; `sign_checkpoints` retries later."""
    try:
        timestamp(Checkpoint.objects.get(pk=checkpoint_id))
    except TimestampError as exc:
        log.warning("checkpoint %s not timestamped: %s", checkpoint_id, exc)


# --- Witnesses ---------------------------------------------------------------------------------


class CosignatureRejected(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def add_cosignature(checkpoint: Checkpoint, line: str) -> Cosignature:
    """Store a witness's cosignature after checking it against the configured witness keys."""
    line = line.strip() + "\n"
    parts = line.split(" ")
    if len(parts) != 3 or parts[0] != verifier.DASH:
        raise CosignatureRejected("malformed cosignature line")
    key = witness_keys().get(parts[1])
    if key is None:
        raise CosignatureRejected(f"unknown witness: {parts[1][:80]}", status=403)
    try:
        verifier.verify_cosignature(body_of(checkpoint), line, key)
    except verifier.VerificationError as exc:
        raise CosignatureRejected(str(exc)) from None
    existing = Cosignature.objects.filter(checkpoint=checkpoint, witness=key.name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Cosignature.objects.create(checkpoint=checkpoint, witness=key.name, line=line)
    except IntegrityError:  # the same witness, a moment earlier, from another request
        return Cosignature.objects.get(checkpoint=checkpoint, witness=key.name)


def saved_state(mandate: Mandate) -> dict | None:
    """What `verify_remote --save` keeps: the key, the latest signed checkpoint and its leaf hashes."""
    checkpoint = latest(mandate)
    if checkpoint is None:
        return None
    leaves = leaf_hashes(mandate, 0, checkpoint.tree_size)
    return {"vkey": verifier_key(), "note": checkpoint.note, "leaves": verifier.b64(b"".join(leaves))}
