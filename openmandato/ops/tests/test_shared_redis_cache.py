"""The Redis cache keeps one client per connection pool (Django builds one per call), and still works
in a process forked after it was used, as gunicorn's workers are forked from a preloaded master."""

import os
import uuid

import pytest
import redis

from openmandato.cache import SharedRedisCache

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def shared():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"om_cache_test:{uuid.uuid4().hex[:8]}"
    cache = SharedRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    yield cache
    cache.delete_many([f"k{n}" for n in range(3)])


def test_one_client_per_pool_serves_every_call(shared):
    shared.set("k0", {"page": "uno"}, 30)
    assert shared.get("k0") == {"page": "uno"}
    assert shared.get_many(["k0", "k1"]) == {"k0": {"page": "uno"}}
    client = shared._cache.get_client()
    assert shared._cache.get_client(write=True) is client
    assert shared.add("k1", 1, 30) and not shared.add("k1", 2, 30)
    assert shared._cache.get_client() is client


def test_a_forked_process_gets_its_own_connection(shared):
    shared.set("k0", "prima del fork", 30)
    parent_connection = shared._cache.get_client().connection_pool.get_connection("GET")
    shared._cache.get_client().connection_pool.release(parent_connection)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read and write through the inherited client, report, exit at once
        try:
            shared.set("k2", "dal figlio", 30)
            ok = shared.get("k0") == "prima del fork"
        except Exception:
            ok = False
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert shared.get("k2") == "dal figlio"
    assert shared.get("k0") == "prima del fork"
