"""The Merkle tree, its proofs and the signed notes against published test vectors (RFC 6962 / 9162,
Certificate Transparency and transparency-dev/merkle: the 8-leaf tree) and C2SP formats."""

import base64
import random

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from openmandato.accountability import verifier as v

LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index, tree size, proof): leaf indices are 0-based here (the Go vectors count from 1).
INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (0, 1, []),
]
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
HASHES = [v.leaf_hash(leaf) for leaf in LEAVES]


def unhex(values):
    return [bytes.fromhex(x) for x in values]


def test_roots_match_the_reference_tree_heads():
    for size, expected in enumerate(ROOTS):
        assert v.root_hash(HASHES[:size]).hex() == expected


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_proofs_match_the_vectors_and_verify(index, size, proof):
    assert [p.hex() for p in v.inclusion_proof(HASHES[:size], index)] == proof
    root = bytes.fromhex(ROOTS[size])
    assert v.verify_inclusion(HASHES[index], index, size, unhex(proof), root)
    # Corruptions as in transparency-dev's probes: every one must be refused.
    assert not v.verify_inclusion(HASHES[index], index + 1, size, unhex(proof), root)
    assert not v.verify_inclusion(HASHES[index], index, size * 2, unhex(proof), root)
    assert not v.verify_inclusion(v.leaf_hash(b"WrongLeaf"), index, size, unhex(proof), root)
    assert not v.verify_inclusion(HASHES[index], index, size, [*unhex(proof), root], root)
    assert not v.verify_inclusion(HASHES[index], index, size, [root, *unhex(proof)], root)
    for i in range(len(proof)):
        bad = unhex(proof)
        bad[i] = bytes([bad[i][0] ^ 8]) + bad[i][1:]
        assert not v.verify_inclusion(HASHES[index], index, size, bad, root)


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY)
def test_consistency_proofs_match_the_vectors_and_verify(first, second, proof):
    assert [p.hex() for p in v.consistency_proof(HASHES[:second], first)] == proof
    root1, root2 = bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second])
    assert v.verify_consistency(first, second, root1, root2, unhex(proof))
    if proof:
        assert not v.verify_consistency(first, second, root2, root1, unhex(proof))
        assert not v.verify_consistency(first - 1 or 2, second, root1, root2, unhex(proof))
        assert not v.verify_consistency(first, second, root1, root2, unhex(proof)[:-1])
        assert not v.verify_consistency(first, second, root1, root2, [*unhex(proof), root1])
        assert not v.verify_consistency(first, second, root1, root2, [])


def test_every_proof_of_random_trees_verifies():
    rng = random.Random(7)
    leaves = [v.leaf_hash(rng.randbytes(8)) for _ in range(70)]
    for n in (1, 2, 3, 7, 16, 33, 70):
        tree = leaves[:n]
        root = v.root_hash(tree)
        for i in range(n):
            assert v.verify_inclusion(tree[i], i, n, v.inclusion_proof(tree, i), root)
        for m in range(1, n + 1):
            assert v.verify_consistency(m, n, v.root_hash(tree[:m]), root, v.consistency_proof(tree, m))


def test_compact_range_gives_the_same_root_at_every_size():
    tree = v.CompactRange()
    for size in range(1, 9):
        tree.append(HASHES[size - 1])
        assert tree.root().hex() == ROOTS[size]
        assert v.CompactRange.load(tree.dump()).root() == tree.root()


def test_signed_note_key_id_and_verifier_key_follow_c2sp():
    key = ed25519.Ed25519PrivateKey.generate()
    public = v.public_bytes(key)
    import hashlib

    assert v.key_id("example.org", 1, public) == hashlib.sha256(b"example.org\n\x01" + public).digest()[:4]
    vkey = v.verifier_key("example.org", public)
    name, hex_id, encoded = vkey.split("+", 2)
    assert name == "example.org" and base64.b64decode(encoded) == b"\x01" + public
    body = v.checkpoint_body("example.org/borgo/1", 8, bytes.fromhex(ROOTS[8]))
    assert body == "example.org/borgo/1\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
    note = v.sign_note(body, "example.org", key)
    assert note.startswith(body + "\n\u2014 example.org ")
    assert base64.b64decode(note.rsplit(" ", 1)[1])[:4].hex() == hex_id
    assert v.verify_note(note, v.VerifierKey.parse(vkey)) == body
    assert v.Checkpoint.parse(note).size == 8


def test_a_forged_signature_is_rejected():
    key, other = ed25519.Ed25519PrivateKey.generate(), ed25519.Ed25519PrivateKey.generate()
    vkey = v.VerifierKey.parse(v.verifier_key("example.org", v.public_bytes(key)))
    body = v.checkpoint_body("example.org/borgo/1", 8, bytes.fromhex(ROOTS[8]))
    note = v.sign_note(body, "example.org", key)
    forged_body = note.replace("\n8\n", "\n9\n")
    with pytest.raises(v.VerificationError, match="does not verify"):
        v.verify_note(forged_body, vkey)
    # Someone else's key under the same name has another key id: not accepted either.
    with pytest.raises(v.VerificationError, match="not signed by"):
        v.verify_note(v.sign_note(body, "example.org", other), vkey)


def test_cosignatures_verify_and_forgeries_do_not():
    key = ed25519.Ed25519PrivateKey.generate()
    vkey = v.VerifierKey.parse(v.verifier_key("witness.example", v.public_bytes(key), v.ALG_COSIGNATURE_V1))
    body = v.checkpoint_body("example.org/borgo/1", 8, bytes.fromhex(ROOTS[8]))
    line = v.cosign(body, "witness.example", key, timestamp=1_700_000_000)
    assert v.verify_cosignature(body, line, vkey) == 1_700_000_000
    with pytest.raises(v.VerificationError):
        v.verify_cosignature(body.replace("\n8\n", "\n7\n"), line, vkey)
