"""Typed helpers that read settings from environment variables and fail loudly on a bad value."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = os.environ.get(name, default).strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def env_pairs(name: str) -> list[tuple[str, str]]:
    """ "Name=https://a/,Other=https://b/" -> [(url, name), ...] (a bare URL is its own name)."""
    pairs = []
    for item in env_list(name, []):
        label, sep, url = item.rpartition("=") if "=" in item else ("", "", item)
        url = url.strip()
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(f"{name}: {url!r} is not an http(s) URL")
        pairs.append((url, label.strip() or url))
    return pairs


def env_json_file(name: str, default=None):
    """The JSON content of the file named by the variable (keys and trust marks stay out of the env)."""
    import json

    path = os.environ.get(name, "").strip()
    if not path:
        return {} if default is None else default
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}: cannot read JSON from {path}: {exc}") from None


def cache_from_environment(var_dir) -> dict:
    """The shared cache (rate limits, PDF reports): REDIS_URL, else CACHE_URL (redis://, rediss://,
    db://TABLE, file:///PATH, locmem://), else the database (works with several processes, no Redis).
    CACHE_BACKEND (a dotted class) is still honoured for local set-ups."""
    prefix = env_str("CACHE_KEY_PREFIX", "om")
    url = env_str("REDIS_URL") or env_str("CACHE_URL")
    if not url and env_str("CACHE_BACKEND"):
        return {"BACKEND": env_str("CACHE_BACKEND"), "KEY_PREFIX": prefix}
    if not url:
        url = "db://openmandato_cache"
    scheme, _sep, rest = url.partition("://")
    if scheme in ("redis", "rediss", "unix"):
        return {
            "BACKEND": "openmandato.cache.SharedRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest or "openmandato_cache",
            "KEY_PREFIX": prefix,
        }
    if scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": rest,
            "KEY_PREFIX": prefix,
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": prefix}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, db://, file:// or locmem://, got {url!r}"
    )
