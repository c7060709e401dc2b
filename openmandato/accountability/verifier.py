"""Independent verifier of an OpenMandato transparency log (standard library + `cryptography` only).

Copy this one file anywhere and run

    python verifier.py https://site.example/<municipality>/ [--checkpoint saved.json] [--save saved.json]
    python verifier.py https://site.example/<municipality>/ --monitor --interval 60 --rounds 10

It checks, without trusting the server:
- the checkpoint's Ed25519 signature (C2SP signed note), its RFC 3161 timestamp when present and the
  witnesses' cosignatures;
- that the log is an append-only extension of the checkpoint saved earlier (RFC 9162 consistency
  proof), which catches a truncated or rewritten history;
- that every entry is in the tree (the root is recomputed from all the entries) and the server's
  inclusion and consistency proofs;
- that each action's status and progress published by the API equal those obtained by replaying the
  log, which catches a direct edit of the database;
- that each evidence file served has the SHA-256 recorded in the log.

Exit status 0 only when everything verifies. Also used by the server itself (no Django imports here).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

# --- RFC 9162 / RFC 6962 Merkle tree -------------------------------------------------------------

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class CompactRange:
    """The roots of the perfect subtrees covering leaves [0, size): append in O(log n), root in O(log n)."""

    def __init__(self, nodes: list[tuple[int, bytes]] | None = None):
        self.nodes = list(nodes or [])

    @property
    def size(self) -> int:
        return sum(width for width, _ in self.nodes)

    def append(self, leaf: bytes) -> None:
        width, value = 1, leaf
        while self.nodes and self.nodes[-1][0] == width:
            _, left = self.nodes.pop()
            value, width = node_hash(left, value), width * 2
        self.nodes.append((width, value))

    def root(self) -> bytes:
        if not self.nodes:
            return EMPTY_ROOT
        value = self.nodes[-1][1]
        for _, left in reversed(self.nodes[:-1]):
            value = node_hash(left, value)
        return value

    def dump(self) -> list[list]:
        return [[width, value.hex()] for width, value in self.nodes]

    @classmethod
    def load(cls, data: list) -> CompactRange:
        return cls([(int(width), bytes.fromhex(value)) for width, value in data])


def root_hash(leaves: list[bytes]) -> bytes:
    tree = CompactRange()
    for leaf in leaves:
        tree.append(leaf)
    return tree.root()


def inclusion_proof(leaves: list[bytes], index: int) -> list[bytes]:
    """RFC 6962 PATH(m, D[n]) over leaf hashes."""
    if not 0 <= index < len(leaves):
        raise ValueError("index out of range")

    def path(m: int, lo: int, hi: int) -> list[bytes]:
        if hi - lo == 1:
            return []
        k = _split(hi - lo)
        if m < k:
            return [*path(m, lo, lo + k), root_hash(leaves[lo + k : hi])]
        return [*path(m - k, lo + k, hi), root_hash(leaves[lo : lo + k])]

    return path(index, 0, len(leaves))


def consistency_proof(leaves: list[bytes], first: int) -> list[bytes]:
    """RFC 6962 PROOF(m, D[n]) over leaf hashes (0 < m <= n)."""
    if not 0 < first <= len(leaves):
        raise ValueError("sizes out of range")

    def sub(m: int, lo: int, hi: int, complete: bool) -> list[bytes]:
        if m == hi - lo:
            return [] if complete else [root_hash(leaves[lo:hi])]
        k = _split(hi - lo)
        if m <= k:
            return [*sub(m, lo, lo + k, complete), root_hash(leaves[lo + k : hi])]
        return [*sub(m - k, lo + k, hi, False), root_hash(leaves[lo : lo + k])]

    return sub(first, 0, len(leaves), True)


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size or any(len(p) != 32 for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, root1: bytes, root2: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2 (a first tree of size 0 proves nothing and is refused)."""
    if first < 1 or first > second or any(len(p) != 32 for p in proof):
        return False
    if first == second:
        return not proof and root1 == root2
    if not proof:
        return False
    if first & (first - 1) == 0:
        proof = [root1, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == root1 and sr == root2


# --- C2SP signed notes, checkpoints and cosignatures ---------------------------------------------

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04
DASH = "\u2014"


class VerificationError(Exception):
    pass


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def key_id(name: str, alg: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public).digest()[:4]


def public_bytes(key: ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, ed25519.Ed25519PrivateKey) else key
    return public.public_bytes_raw()


def verifier_key(name: str, public: bytes, alg: int = ALG_ED25519) -> str:
    """The note verifier key: <name>+<hex key id>+<base64(alg ‖ public key)>."""
    return f"{name}+{key_id(name, alg, public).hex()}+{b64(bytes([alg]) + public)}"


@dataclass(frozen=True)
class VerifierKey:
    name: str
    key_id: bytes
    alg: int
    public: bytes

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        try:
            name, hex_id, encoded = text.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
            key = cls(name, bytes.fromhex(hex_id), raw[0], raw[1:])
        except (ValueError, IndexError) as exc:
            raise VerificationError(f"malformed verifier key: {text!r}") from exc
        if len(key.public) != 32 or key.key_id != key_id(name, key.alg, key.public):
            raise VerificationError(f"inconsistent verifier key: {text!r}")
        return key

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            ed25519.Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except InvalidSignature:
            return False
        return True


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{b64(root)}\n"


def signature_line(name: str, raw: bytes) -> str:
    return f"{DASH} {name} {b64(raw)}\n"


def sign_note(body: str, name: str, key: ed25519.Ed25519PrivateKey) -> str:
    raw = key_id(name, ALG_ED25519, public_bytes(key)) + key.sign(body.encode())
    return body + "\n" + signature_line(name, raw)


def split_note(text: str) -> tuple[str, list[tuple[str, bytes]]]:
    """Body (ending in a newline) and the (name, decoded signature) pairs."""
    at = text.rfind("\n\n")
    if at < 0 or not text.endswith("\n"):
        raise VerificationError("not a signed note")
    body, signatures = text[: at + 1], []
    for line in text[at + 2 :].splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise VerificationError(f"malformed signature line: {line!r}")
        try:
            signatures.append((parts[1], base64.b64decode(parts[2], validate=True)))
        except ValueError as exc:
            raise VerificationError(f"malformed signature line: {line!r}") from exc
    return body, signatures


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    body: str
    note: str

    @classmethod
    def parse(cls, note: str) -> Checkpoint:
        body, _ = split_note(note)
        lines = body.split("\n")
        if len(lines) < 4 or not lines[1].isdigit():
            raise VerificationError("malformed checkpoint body")
        try:
            root = base64.b64decode(lines[2], validate=True)
        except ValueError as exc:
            raise VerificationError("malformed checkpoint root hash") from exc
        if len(root) != 32:
            raise VerificationError("malformed checkpoint root hash")
        return cls(lines[0], int(lines[1]), root, body, note)


def verify_note(note: str, key: VerifierKey) -> str:
    """The body, if one signature line is the key's valid Ed25519 signature of it."""
    body, signatures = split_note(note)
    for name, raw in signatures:
        if name == key.name and raw[:4] == key.key_id and key.alg == ALG_ED25519:
            if key.verify(raw[4:], body.encode()):
                return body
            raise VerificationError(f"the signature of {name} does not verify")
    raise VerificationError(f"the checkpoint is not signed by {key.name}")


def _cosigned_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()


def cosign(body: str, name: str, key: ed25519.Ed25519PrivateKey, timestamp: int | None = None) -> str:
    """A C2SP tlog-cosignature/v1 line over a checkpoint body."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = key.sign(_cosigned_message(body, timestamp))
    raw = key_id(name, ALG_COSIGNATURE_V1, public_bytes(key)) + timestamp.to_bytes(8, "big") + signature
    return signature_line(name, raw)


def verify_cosignature(body: str, line: str, key: VerifierKey) -> int:
    """The cosignature's timestamp, if the line is the witness key's valid cosignature of body."""
    _, signatures = split_note("x\n\n" + line.rstrip("\n") + "\n")
    (name, raw) = signatures[0]
    if key.alg != ALG_COSIGNATURE_V1 or name != key.name or raw[:4] != key.key_id or len(raw) != 76:
        raise VerificationError(f"cosignature not made by {key.name}")
    timestamp = int.from_bytes(raw[4:12], "big")
    if not key.verify(raw[12:], _cosigned_message(body, timestamp)):
        raise VerificationError(f"the cosignature of {name} does not verify")
    return timestamp


# --- RFC 3161 timestamps: a minimal DER reader and writer ----------------------------------------

OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_TST_INFO = "1.2.840.113549.1.9.16.1.4"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
HASHES = {
    OID_SHA256: hashes.SHA256,
    "2.16.840.1.101.3.4.2.2": hashes.SHA384,
    "2.16.840.1.101.3.4.2.3": hashes.SHA512,
}


@dataclass
class Der:
    tag: int
    content: bytes
    raw: bytes
    children: list[Der] = field(default_factory=list)


def der_read(data: bytes, at: int = 0) -> tuple[Der, int]:
    try:
        tag, length, start = data[at], data[at + 1], at + 2
        if length & 0x80:
            count = length & 0x7F
            if count == 0 or count > 4:
                raise VerificationError("unsupported DER length")
            length, start = int.from_bytes(data[start : start + count], "big"), start + count
    except IndexError as exc:
        raise VerificationError("truncated DER") from exc
    end = start + length
    if end > len(data):
        raise VerificationError("truncated DER")
    node = Der(tag, data[start:end], data[at:end])
    if tag & 0x20:  # constructed
        pos = start
        while pos < end:
            child, pos = der_read(data, pos)
            node.children.append(child)
    return node, end


def der_parse(data: bytes) -> Der:
    node, end = der_read(data)
    if end != len(data):
        raise VerificationError("trailing bytes after DER")
    return node


def der_oid(node: Der) -> str:
    if node.tag != 0x06:
        raise VerificationError("expected an OID")
    first, values, value = node.content[0], [], 0
    for byte in node.content[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            values.append(value)
            value = 0
    return ".".join(str(v) for v in [first // 40, first % 40, *values])


def _der(tag: int, content: bytes) -> bytes:
    n = len(content)
    length = (
        bytes([n])
        if n < 0x80
        else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    )
    return bytes([tag]) + length + content


def _der_int(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def timestamp_request(digest: bytes, nonce: int | None = None) -> bytes:
    """DER TimeStampReq for a SHA-256 digest, asking for the TSA certificate."""
    sha256_oid = bytes.fromhex("0609608648016503040201")
    algorithm = _der(0x30, sha256_oid + b"\x05\x00")
    imprint = _der(0x30, algorithm + _der(0x04, digest))
    nonce = secrets.randbits(63) if nonce is None else nonce
    return _der(0x30, _der_int(1) + imprint + _der_int(nonce) + b"\x01\x01\xff")


def token_from_response(response: bytes) -> bytes:
    """The TimeStampToken (CMS ContentInfo, DER) of a granted TimeStampResp."""
    resp = der_parse(response)
    if not resp.children or not resp.children[0].children:
        raise VerificationError("malformed timestamp response")
    status = int.from_bytes(resp.children[0].children[0].content, "big")
    if status not in (0, 1) or len(resp.children) < 2:
        raise VerificationError(f"the TSA refused the request (status {status})")
    return resp.children[1].raw


@dataclass(frozen=True)
class Timestamp:
    time: datetime.datetime
    signer: str


def _gen_time(node: Der) -> datetime.datetime:
    text = node.content.decode("ascii").rstrip("Z")
    main, _, fraction = text.partition(".")
    moment = datetime.datetime.strptime(main, "%Y%m%d%H%M%S").replace(tzinfo=datetime.UTC)
    return moment + datetime.timedelta(microseconds=int((fraction or "0")[:6].ljust(6, "0")))


def verify_timestamp(token: bytes, digest: bytes, trusted: list[x509.Certificate] | None = None) -> Timestamp:
    """Check that an RFC 3161 token is a valid signature over `digest` (SHA-256); raise otherwise.

    With `trusted` CA certificates, the signing certificate must also be issued by one of them and be
    meant for time stamping."""
    try:
        content_info = der_parse(token)
        if der_oid(content_info.children[0]) != OID_SIGNED_DATA:
            raise VerificationError("the token is not CMS SignedData")
        signed_data = content_info.children[1].children[0]
        parts = signed_data.children
        encap = parts[2]
        if der_oid(encap.children[0]) != OID_TST_INFO:
            raise VerificationError("the token does not hold a TSTInfo")
        tst_der = encap.children[1].children[0].content
        tst_info = der_parse(tst_der)
        imprint = tst_info.children[2]
        if der_oid(imprint.children[0].children[0]) != OID_SHA256:
            raise VerificationError("the timestamp is not over a SHA-256 digest")
        if imprint.children[1].content != digest:
            raise VerificationError("the timestamp is for another document")
        gen_time = _gen_time(tst_info.children[4])
        certificates = [
            x509.load_der_x509_certificate(c.raw) for p in parts if p.tag == 0xA0 for c in p.children
        ]
        signer_info = parts[-1].children[0]
        serial = int.from_bytes(signer_info.children[1].children[1].content, "big", signed=True)
        hash_oid = der_oid(signer_info.children[2].children[0])
        signed_attrs = next(c for c in signer_info.children if c.tag == 0xA0)
        signature = next(c for c in signer_info.children[4:] if c.tag == 0x04).content
    except (IndexError, StopIteration, ValueError, UnicodeDecodeError) as exc:
        raise VerificationError("malformed timestamp token") from exc
    algorithm = HASHES.get(hash_oid)
    if algorithm is None:
        raise VerificationError("unsupported digest in the timestamp token")
    digest_attr = [a for a in signed_attrs.children if der_oid(a.children[0]) == OID_MESSAGE_DIGEST]
    hasher = hashes.Hash(algorithm())
    hasher.update(tst_der)
    if not digest_attr or digest_attr[0].children[1].children[0].content != hasher.finalize():
        raise VerificationError("the timestamp's signed attributes do not match its content")
    signer = next((c for c in certificates if c.serial_number == serial), None)
    if signer is None:
        raise VerificationError("the timestamp token does not include its signing certificate")
    signed = b"\x31" + signed_attrs.raw[1:]
    public = signer.public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, signed, padding.PKCS1v15(), algorithm())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, signed, ec.ECDSA(algorithm()))
        else:
            raise VerificationError("unsupported TSA key type")
    except InvalidSignature:
        raise VerificationError("the timestamp signature does not verify") from None
    if trusted is not None:
        if not any(_issued_by(signer, ca) for ca in trusted):
            raise VerificationError("the timestamp was signed by an untrusted TSA")
        try:
            usage = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            usage = []
        if x509.oid.ExtendedKeyUsageOID.TIME_STAMPING not in usage:
            raise VerificationError("the TSA certificate is not for time stamping")
        if not signer.not_valid_before_utc <= gen_time <= signer.not_valid_after_utc:
            raise VerificationError("the TSA certificate was not valid at the timestamp's time")
    return Timestamp(gen_time, signer.subject.rfc4514_string())


def _issued_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    if cert.fingerprint(hashes.SHA256()) == ca.fingerprint(hashes.SHA256()):
        return True
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def load_certificates(path: str) -> list[x509.Certificate]:
    with open(path, "rb") as handle:
        return x509.load_pem_x509_certificates(handle.read())


# --- Replaying the log ---------------------------------------------------------------------------


def _moment(text: str | None) -> datetime.datetime:
    if not text:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)
    moment = datetime.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def replay(entries: list[dict]) -> dict[int, tuple[str, int]]:
    """Each action's (status, progress): its latest update (by date, recording time, id) that no later
    update corrects — the same rule the application uses."""
    corrected = {data.get("corrects") for data in entries if data.get("kind") == "update"}
    latest: dict[int, tuple] = {}
    for data in entries:
        if data.get("kind") != "update" or data.get("id") in corrected:
            continue
        order = (data["date"], _moment(data.get("recorded_at")), data["id"])
        if data["action"] not in latest or order > latest[data["action"]][0]:
            latest[data["action"]] = (order, data["status"], data["progress"])
    return {action: (status, progress) for action, (_, status, progress) in latest.items()}


def compare_replay(entries: list[dict], actions: list[dict]) -> str | None:
    """The first action whose published status/progress differs from the replayed log."""
    replayed = replay(entries)
    for action in sorted(actions, key=lambda a: a["id"]):
        status, progress = replayed.get(action["id"], ("not_started", 0))
        if (action["status"], action["progress"]) != (status, progress):
            return (
                f"action {action['id']}: published {action['status']} {action['progress']}%, "
                f"but the log says {status} {progress}%"
            )
    return None


# --- Talking to a site ---------------------------------------------------------------------------


class Site:
    def __init__(self, url: str, timeout: float = 30):
        parts = urllib.parse.urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if parts.scheme not in ("http", "https") or not segments:
            raise VerificationError("give the municipality's address, e.g. https://site.example/borgo/")
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.slug = segments[-1]
        self.timeout = timeout

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path: str) -> bytes:
        headers = {"User-Agent": "openmandato-verifier"}
        request = urllib.request.Request(self.url(path), headers=headers)  # noqa: S310 (http/https only)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.read()
        except urllib.error.HTTPError as exc:
            raise VerificationError(f"{path}: HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise VerificationError(f"{path}: {exc}") from None

    def json(self, path: str):
        try:
            return json.loads(self.get(path))
        except ValueError as exc:
            raise VerificationError(f"{path}: not JSON") from exc

    def api(self, path: str, **params) -> dict:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return self.json(f"/api/v1/tlog/{self.slug}{path}{query}")


@dataclass
class Report:
    ok: bool
    lines: list[str]
    checkpoint: dict | None = None


def _unhex(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


def check_site(
    url: str,
    saved: dict | None = None,
    *,
    trusted_tsa: list[x509.Certificate] | None = None,
    witnesses: list[VerifierKey] = (),
    check_files: bool = True,
) -> Report:
    """Everything the module docstring lists; `saved` is a checkpoint saved earlier by --save."""
    site, lines = Site(url), []
    try:
        state = site.api("/checkpoint.json")
        key = VerifierKey.parse(state["vkey"])
        if saved and saved["vkey"] != state["vkey"]:
            raise VerificationError("the site now signs with another key than the saved checkpoint's")
        checkpoint = Checkpoint.parse(state["note"])
        verify_note(checkpoint.note, key)
        lines.append(f"signature ok: {checkpoint.origin} size {checkpoint.size} ({key.name})")
        digest = hashlib.sha256(checkpoint.body.encode()).digest()
        if state.get("timestamp"):
            stamp = verify_timestamp(base64.b64decode(state["timestamp"]), digest, trusted_tsa)
            lines.append(f"timestamp ok: {stamp.time.isoformat()} by {stamp.signer}")
        for witness in witnesses:
            line = next((c for c in state.get("cosignatures", []) if c.split(" ")[1] == witness.name), None)
            if line is None:
                raise VerificationError(f"no cosignature by witness {witness.name}")
            verify_cosignature(checkpoint.body, line, witness)
            lines.append(f"cosignature ok: {witness.name}")
        if saved:
            old = Checkpoint.parse(saved["note"])
            verify_note(old.note, key)
            if old.origin != checkpoint.origin:
                raise VerificationError(f"the saved checkpoint is for another log ({old.origin})")
            if checkpoint.size < old.size:
                raise VerificationError(
                    f"inconsistency: the log has {checkpoint.size} entries, fewer than the {old.size} "
                    "of the saved checkpoint (truncated)"
                )
            if old.size == checkpoint.size and old.root != checkpoint.root:
                raise VerificationError(
                    f"inconsistency: two different signed checkpoints of size {old.size} (history rewritten)"
                    + _first_difference(site, saved)
                )
            if 0 < old.size < checkpoint.size:
                try:
                    proof = site.api("/proof/consistency", first=old.size, second=checkpoint.size)["proof"]
                except VerificationError as exc:
                    raise VerificationError(
                        f"inconsistency: the site cannot prove that its log of size {checkpoint.size} "
                        f"extends the saved checkpoint of size {old.size} ({exc})"
                        + _first_difference(site, saved)
                    ) from None
                if not verify_consistency(
                    old.size, checkpoint.size, old.root, checkpoint.root, _unhex(proof)
                ):
                    raise VerificationError(
                        f"inconsistency: the log of size {checkpoint.size} is not an extension of the saved "
                        f"checkpoint of size {old.size} (history rewritten)" + _first_difference(site, saved)
                    )
            lines.append(f"consistency ok: {old.size} -> {checkpoint.size}")
        entries, leaves, files, tree = [], [], [], CompactRange()
        old_root_checked = not saved
        while len(entries) < checkpoint.size:
            page = site.api("/entries", start=len(entries))
            served = min(page["tree_size"], len(entries) + len(page["entries"]))
            if not page["entries"] or page["tree_size"] < checkpoint.size:
                raise VerificationError(
                    f"the site serves {served} entries but its checkpoint has {checkpoint.size}: "
                    f"entries from #{served + 1} on are gone"
                )
            for item in page["entries"][: checkpoint.size - len(entries)]:
                index = len(entries)
                body = item["body"].encode()
                leaves.append(leaf_hash(body))
                tree.append(leaves[-1])
                data = json.loads(body)
                entries.append(data)
                files += [(index, f) for f in item.get("files", [])]
                file_hashes = {e.get("file_sha256") for e in data.get("evidence", []) if e.get("file_sha256")}
                if any(f["sha256"] not in file_hashes for f in item.get("files", [])):
                    raise VerificationError(f"entry #{index + 1}: a served file is not the one in the log")
                if saved and tree.size == Checkpoint.parse(saved["note"]).size:
                    if tree.root() != Checkpoint.parse(saved["note"]).root:
                        raise VerificationError(
                            f"entries #1..#{index + 1} do not match the saved checkpoint"
                            + _first_difference(site, saved)
                        )
                    old_root_checked = True
        if tree.root() != checkpoint.root or not old_root_checked:
            raise VerificationError(
                f"the {len(entries)} entries served do not hash to the signed root"
                + (_first_difference(site, saved) if saved else _first_bad(site, leaves))
            )
        if checkpoint.size:
            last = checkpoint.size - 1
            proof = site.api("/proof/inclusion", index=last, tree_size=checkpoint.size)
            ok = verify_inclusion(
                leaves[last],
                last,
                checkpoint.size,
                _unhex(proof["proof"]),
                checkpoint.root,
            )
            if not ok:
                raise VerificationError(f"entry #{last + 1}: the server's inclusion proof does not verify")
        lines.append(f"inclusion ok: all {len(entries)} entries are in the signed tree")
        actions = []
        cursor = None
        while True:
            params = {"mandate": state["mandate"], "limit": 200, **({"cursor": cursor} if cursor else {})}
            page = site.json("/api/v1/actions?" + urllib.parse.urlencode(params))
            actions += page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                break
        problem = compare_replay(entries, actions)
        if problem:
            raise VerificationError(f"replay: {problem}")
        lines.append(f"replay ok: {len(actions)} actions match the log")
        if check_files:
            for index, item in files:
                content = site.get(urllib.parse.urlsplit(item["url"]).path)
                if hashlib.sha256(content).hexdigest() != item["sha256"]:
                    raise VerificationError(
                        f"entry #{index + 1}: evidence file {item['url']} does not match its SHA-256"
                    )
            lines.append(f"files ok: {len(files)} evidence files match their hashes")
    except VerificationError as exc:
        return Report(False, [*lines, f"FAILED: {exc}"])
    except (KeyError, TypeError, ValueError) as exc:
        return Report(False, [*lines, f"FAILED: unexpected answer from the site ({exc!r})"])
    saved_state = {
        "url": url,
        "vkey": state["vkey"],
        "note": checkpoint.note,
        "leaves": b64(b"".join(leaves)),
    }
    return Report(True, lines, saved_state)


def _first_bad(site: Site, leaves: list[bytes]) -> str:
    """Name the first entry after which the served entries stop matching the site's own signed
    checkpoints (one is signed after each write)."""
    tree, after, signed = CompactRange(), 0, {}
    while True:
        try:
            page = site.api("/checkpoints", after=after, limit=500)
        except VerificationError:
            break
        for item in page["items"]:
            signed[item["tree_size"]] = bytes.fromhex(item["root_hash"])
        if not page.get("next_after"):
            break
        after = page["next_after"]
    for index, leaf in enumerate(leaves):
        tree.append(leaf)
        if tree.size in signed and signed[tree.size] != tree.root():
            return f"; first bad entry #{index + 1} (its signed checkpoint of size {tree.size} differs)"
    return ""


def _first_difference(site: Site, saved: dict) -> str:
    """With the leaf hashes saved beside the old checkpoint, name the first entry that changed."""
    known = base64.b64decode(saved.get("leaves", ""))
    known = [known[i : i + 32] for i in range(0, len(known), 32)]
    index = 0
    while index < len(known):
        try:
            page = site.api("/entries", start=index)["entries"]
        except VerificationError:
            page = []
        except (KeyError, TypeError):
            return ""
        if not page:
            return f"; entries from #{index + 1} on are gone"
        for item in page:
            if leaf_hash(item["body"].encode()) != known[index]:
                return f"; first bad entry #{index + 1}"
            index += 1
    return ""


def monitor(
    url: str, saved: dict | None, rounds: int, interval: float, sleep=time.sleep, **options
) -> Report:
    """Poll up to `rounds` times, each round checked against the checkpoint of the previous one; stop at
    the first inconsistency."""
    report = Report(False, ["no round run"])
    for round_number in range(max(1, rounds)):
        report = check_site(url, saved, **options)
        if not report.ok:
            report.lines.insert(0, f"round {round_number + 1}:")
            return report
        saved = report.checkpoint
        if round_number + 1 < rounds:
            sleep(interval)
    return report


# --- Witnessing ---------------------------------------------------------------------------------


def load_witness_key(path: str, generate: bool = False) -> ed25519.Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization

    try:
        with open(path, "rb") as handle:
            key = serialization.load_pem_private_key(handle.read(), password=None)
    except FileNotFoundError:
        if not generate:
            raise
        key = ed25519.Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            handle.write(pem)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise VerificationError(f"{path} is not an Ed25519 private key")
    return key


def witness(url: str, key: ed25519.Ed25519PrivateKey, name: str, state: dict | None) -> tuple[dict, str]:
    """Cosign the site's latest checkpoint if it is signed by the key seen before and consistent with the
    last checkpoint this witness cosigned (C2SP tlog-witness ideas). Returns the new state and the line."""
    site = Site(url)
    current = site.api("/checkpoint.json")
    log_key = VerifierKey.parse(state["vkey"] if state else current["vkey"])
    checkpoint = Checkpoint.parse(current["note"])
    verify_note(checkpoint.note, log_key)
    if state:
        old = Checkpoint.parse(state["note"])
        if old.origin != checkpoint.origin:
            raise VerificationError(f"the site now serves another log ({checkpoint.origin})")
        if checkpoint.size < old.size:
            raise VerificationError(
                f"refused: size {checkpoint.size} is smaller than the {old.size} cosigned"
            )
        if checkpoint.size == old.size and checkpoint.root != old.root:
            raise VerificationError(f"refused: two different checkpoints of size {old.size}")
        if checkpoint.size > old.size > 0:
            proof = site.api("/proof/consistency", first=old.size, second=checkpoint.size)["proof"]
            if not verify_consistency(old.size, checkpoint.size, old.root, checkpoint.root, _unhex(proof)):
                raise VerificationError(
                    f"refused: the checkpoint of size {checkpoint.size} is not consistent with the "
                    f"{old.size} cosigned before (history rewritten)"
                )
    line = cosign(checkpoint.body, name, key)
    path = f"/api/v1/tlog/{site.slug}/checkpoints/{checkpoint.size}/cosignatures"
    request = urllib.request.Request(  # noqa: S310 (http/https only, checked by Site)
        site.url(path),
        data=json.dumps({"cosignature": line}).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "openmandato-witness"},
    )
    try:
        with urllib.request.urlopen(request, timeout=site.timeout) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace")
        raise VerificationError(f"the site refused the cosignature: HTTP {exc.code} {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise VerificationError(f"{path}: {exc}") from None
    return {"url": url, "vkey": verifier_key(log_key.name, log_key.public), "note": checkpoint.note}, line


def add_arguments(parser) -> None:
    """The command line of this script, also used by `openmandato verify_remote`."""
    parser.add_argument("url", help="the municipality's address, e.g. https://site.example/borgo/")
    parser.add_argument("--checkpoint", help="a checkpoint saved earlier with --save")
    parser.add_argument("--save", help="save the verified checkpoint to this file")
    parser.add_argument("--tsa-ca", help="PEM file of the trusted time-stamping authority certificates")
    parser.add_argument("--witness", action="append", default=[], help="a witness verifier key to require")
    parser.add_argument("--no-files", action="store_true", help="skip downloading the evidence files")
    parser.add_argument("--monitor", action="store_true", help="poll and report the first inconsistency")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--interval", type=float, default=60.0)


def main(argv: list[str] | None = None, stdout=None, stderr=None) -> int:
    parser = argparse.ArgumentParser(description="Verify an OpenMandato transparency log independently.")
    add_arguments(parser)
    return run(parser.parse_args(argv), stdout, stderr)


def run(args, stdout=None, stderr=None) -> int:
    """Check the site as the parsed command line says; the exit status (0 only when all verifies)."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        saved = None
        if args.checkpoint:
            with open(args.checkpoint, encoding="utf-8") as handle:
                saved = json.load(handle)
        options = {
            "trusted_tsa": load_certificates(args.tsa_ca) if args.tsa_ca else None,
            "witnesses": [VerifierKey.parse(w) for w in args.witness],
            "check_files": not args.no_files,
        }
    except (OSError, ValueError, VerificationError) as exc:
        stderr.write(f"FAILED: {exc}\n")
        return 2
    if args.monitor:
        report = monitor(args.url, saved, args.rounds, args.interval, **options)
    else:
        report = check_site(args.url, saved, **options)
    for line in report.lines:
        (stdout if report.ok else stderr).write(line + "\n")
    if report.ok and args.save:
        with open(args.save, "w", encoding="utf-8") as handle:
            json.dump(report.checkpoint, handle, ensure_ascii=False, indent=1)
    (stdout if report.ok else stderr).write(("OK" if report.ok else "NOT VERIFIED") + "\n")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
