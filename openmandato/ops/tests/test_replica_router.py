"""With DATABASE_REPLICA_URL, anonymous reads come from the replica and everything else from the primary.

Two real databases stand in for primary and replica; they hold different comuni on purpose, so each
page shows which one it read. (A streaming replica is set up in docs/deploy.md; the router only needs
the second alias.)"""

import json
import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.single_run  # see pyproject.toml

SCRIPT = r"""
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmandato.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from openmandato.programs.models import Municipality

anonymous = Client().get("/").content.decode()

# a search with a typo, as an anonymous visitor: every query of it (the vocabulary's trigram look-up
# is raw SQL) goes to the replica, none to the primary
from django.db import connections
from django.test.utils import CaptureQueriesContext
from openmandato.search.models import SearchWord
word = SearchWord.objects.using("replica").filter(word__regex=r"^[a-z]{7,}$").order_by("-documents")[0].word
typo = word[:3] + word[4:]
with CaptureQueriesContext(connections["default"]) as on_primary:
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = Client().get("/search/", {"q": typo})
searched = f"{response.status_code} " + response.content.decode()
# read now: the capture is a window on the connection's log, which the next request empties
primary_queries, replica_queries = len(on_primary), [q["sql"] for q in on_replica]
user = get_user_model().objects.create_user("lettrice", password="x-secret-1")   # written to the primary
signed_in = Client()
signed_in.force_login(user)
users = get_user_model().objects
print(json.dumps({
    "anonymous": anonymous,
    "signed_in": signed_in.get("/").content.decode(),
    "write_went_to_primary": users.using("default").filter(username="lettrice").exists(),
    "write_not_on_replica": not users.using("replica").filter(username="lettrice").exists(),
    "replica_slug": Municipality.objects.using("replica").get().slug,
    "search": {"typo": typo, "page": searched, "primary": primary_queries, "replica": replica_queries},
}))
"""


def test_anonymous_pages_read_the_replica_and_signed_in_visitors_the_primary(run_cli, tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    assert run_cli("migrate", database_url=f"sqlite:///{primary}").returncode == 0
    shutil.copy(primary, replica)
    made = run_cli(
        "generate_synthetic",
        "--municipalities",
        "1",
        "--actions-per-mandate",
        "2",
        "--quiet",
        database_url=f"sqlite:///{replica}",
    )
    assert made.returncode == 0, made.stderr
    indexed = run_cli("rebuild_search_index", database_url=f"sqlite:///{replica}")
    assert indexed.returncode == 0, indexed.stderr
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY")}
    env.update(
        DATABASE_URL=f"sqlite:///{primary}",
        DATABASE_REPLICA_URL=f"sqlite:///{replica}",
        OPENMANDATO_VAR_DIR=str(tmp_path),
        CACHE_URL="locmem://",
        PAGE_CACHE_SECONDS="0",
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    slug = seen["replica_slug"]
    assert f'href="/{slug}/"' in seen["anonymous"]  # read from the replica
    assert f'href="/{slug}/"' not in seen["signed_in"]  # read from the primary, which lacks it
    assert "Nessun comune pubblicato" in seen["signed_in"]
    assert seen["write_went_to_primary"] and seen["write_not_on_replica"]
    search = seen["search"]
    assert search["primary"] == 0, search
    assert search["page"].startswith("200 ")
    # the vocabulary's trigram look-up for the unknown word (raw SQL) read the replica too
    assert any("searchword_trigram MATCH" in sql for sql in search["replica"]), search["replica"]
