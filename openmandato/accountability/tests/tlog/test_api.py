"""The transparency-log API: entries by range, RFC 9162 proofs, checkpoints (text, JSON, Atom), the key,
and clear 400s for bad parameters."""

import pytest
from django.test import Client

from openmandato.accountability import tlog, verifier
from openmandato.accountability.models import Checkpoint, LedgerEntry

API = "/api/v1/tlog/borgo"


@pytest.fixture
def client():
    return Client()


def unhex(values):
    return [bytes.fromhex(v) for v in values]


def test_entries_by_range_are_the_leaves_of_the_signed_tree(history, client):
    size = LedgerEntry.objects.filter(mandate=history.mandate).count()
    page = client.get(f"{API}/entries", {"start": 1, "end": 3}).json()
    assert [e["index"] for e in page["entries"]] == [1, 2] and page["tree_size"] == size
    everything = client.get(f"{API}/entries").json()["entries"]
    leaves = [verifier.leaf_hash(e["body"].encode()) for e in everything]
    assert [leaf.hex() for leaf in leaves] == [e["leaf_hash"] for e in everything]
    checkpoint = verifier.Checkpoint.parse(client.get("/borgo/checkpoint.txt").content.decode())
    assert verifier.root_hash(leaves) == checkpoint.root and checkpoint.size == size
    document = everything[1]["files"]
    assert len(document) == 1 and document[0]["url"].startswith("http://testserver/borgo/evidence/")


def test_every_inclusion_proof_verifies_against_its_checkpoint(history, client):
    checkpoints = {c.tree_size: bytes.fromhex(c.root_hash) for c in Checkpoint.objects.all()}
    for size, root in checkpoints.items():
        for index in range(size):
            proof = client.get(f"{API}/proof/inclusion", {"index": index, "tree_size": size}).json()
            leaf = bytes.fromhex(proof["leaf_hash"])
            assert verifier.verify_inclusion(leaf, index, size, unhex(proof["proof"]), root)
            other = checkpoints[size - 1] if size > 1 else checkpoints[2]
            assert not verifier.verify_inclusion(leaf, index, size, unhex(proof["proof"]), other)


def test_every_consistency_proof_verifies_between_checkpoints(history, client):
    roots = {c.tree_size: bytes.fromhex(c.root_hash) for c in Checkpoint.objects.all()}
    for first in roots:
        for second in roots:
            if first > second:
                continue
            proof = client.get(f"{API}/proof/consistency", {"first": first, "second": second}).json()
            assert verifier.verify_consistency(
                first, second, roots[first], roots[second], unhex(proof["proof"])
            )


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("proof/inclusion", {"index": "abc"}, "index must be a non-negative integer"),
        ("proof/inclusion", {"index": "-1"}, "index must be a non-negative integer"),
        ("proof/inclusion", {"index": "0", "tree_size": "0"}, "tree_size must be between 1"),
        ("proof/inclusion", {"index": "0", "tree_size": "99"}, "tree_size must be between 1"),
        ("proof/inclusion", {"index": "3", "tree_size": "2"}, "index must be between 0 and 1"),
        ("proof/inclusion", {}, "index is required"),
        ("proof/consistency", {"first": "0", "second": "2"}, "first must be between 1 and 2"),
        ("proof/consistency", {"first": "4", "second": "2"}, "first must be between 1 and 2"),
        ("proof/consistency", {"first": "1", "second": "9" * 40}, "an identifier is out of range"),
        ("entries", {"start": "3", "end": "1"}, "end must be between 3"),
        ("entries", {"start": "1\x00"}, "NUL characters are not allowed"),
        ("checkpoints", {"limit": "0"}, "limit must be between 1"),
        ("checkpoints/x1", {}, "size must be a non-negative integer"),
    ],
)
def test_bad_parameters_get_a_400_in_json(history, client, path, params, message):
    response = client.get(f"{API}/{path}", params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_an_unknown_municipality_is_a_404(history, client):
    assert client.get("/api/v1/tlog/nowhere/entries").status_code == 404
    assert client.get("/nowhere/checkpoint.txt").status_code == 404


def test_checkpoints_are_listed_as_json_and_atom_with_the_public_key(history, client):
    count = Checkpoint.objects.filter(mandate=history.mandate).count()
    listing = client.get("/borgo/checkpoints.json").json()
    assert [c["tree_size"] for c in listing["checkpoints"]] == list(range(1, count + 1))
    key = verifier.VerifierKey.parse(listing["vkey"])
    for item in listing["checkpoints"]:
        verifier.verify_note(item["note"], key)
    assert client.get("/checkpoint-key.txt").content.decode().strip() == tlog.verifier_key()
    assert client.get("/api/v1/tlog/key").json()["vkey"] == listing["vkey"]
    page = client.get(f"{API}/checkpoints", {"limit": 2}).json()
    assert [c["tree_size"] for c in page["items"]] == [1, 2] and page["next_after"] == 2
    feed = client.get("/borgo/checkpoints.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert body.count("<entry>") == count
    assert verifier.b64(bytes.fromhex(tlog.latest(history.mandate).root_hash)) in body
    one = client.get(f"{API}/checkpoints/2").json()
    assert one["tree_size"] == 2 and one["note"].startswith(one["origin"] + "\n2\n")
