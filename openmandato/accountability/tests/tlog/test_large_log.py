"""An honest history of 10,000 entries verifies, on the server and remotely, with proofs of log size."""

import datetime
import math

import pytest

from openmandato.accountability import ledger, tlog, verifier
from openmandato.accountability.services import record_progress
from openmandato.programs.models import Action
from openmandato.tests.factory import make_actions, make_mandate, make_municipality, make_section
from openmandato.tests.fixtures import make_user

from .bulk import bulk_history

SIZE = 10_000


@pytest.fixture
def big(tlog_settings, transactional_db):
    municipality = make_municipality("Grande")
    mandate = make_mandate(municipality)
    actions = make_actions(make_section(mandate, "Tutto"), 40)
    bulk_history(mandate, actions, SIZE, datetime.date(2024, 6, 1))
    return mandate


def test_ten_thousand_entries_verify_locally_and_remotely(big, live_server):
    result = ledger.verify(big)
    assert result.ok, result.problems
    assert result.count == SIZE and tlog.latest(big).tree_size == SIZE
    report = verifier.check_site(f"{live_server.url}/grande/", check_files=False)
    assert report.ok, report.lines
    assert f"inclusion ok: all {SIZE} entries" in "\n".join(report.lines)
    leaves = tlog.leaf_hashes(big)
    proof = verifier.inclusion_proof(leaves, 4321)
    assert len(proof) <= math.ceil(math.log2(SIZE))
    root = bytes.fromhex(tlog.latest(big).root_hash)
    assert verifier.verify_inclusion(leaves[4321], 4321, SIZE, proof, root)
    # One more write extends the tree from the stored compact range: same root as a full rebuild.
    action = Action.objects.filter(mandate=big).first()
    record_progress(action, user=make_user("sindaco"), status="in_progress", progress=5,
                    date=datetime.date(2024, 6, 2), system=True)  # fmt: skip
    latest = tlog.latest(big)
    assert latest.tree_size == SIZE + 1
    assert latest.root_hash == verifier.root_hash(tlog.leaf_hashes(big)).hex()
