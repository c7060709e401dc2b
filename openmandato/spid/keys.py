"""The Relying Party's private keys: one set for the federation (signs the entity configuration), one for
OpenID Connect (signs request objects and client assertions) and one to decrypt the userinfo.

They live as JWKS files in SPID_KEYS_DIR, outside the repository, written once by `openmandato
spid_keys` (mode 0600). Nothing is generated at run time: without keys SPID/CIE stay off.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptojwt.jwk.jwk import key_from_jwk_dict
from cryptojwt.jwk.rsa import new_rsa_key
from django.conf import settings

FILES = {
    "federation": "federation.jwks.json",
    "signing": "core-sig.jwks.json",
    "encryption": "core-enc.jwks.json",
}


class KeysMissing(Exception):
    pass


@dataclass(frozen=True)
class RpKeys:
    federation: dict
    signing: dict
    encryption: dict

    @staticmethod
    def public(jwk: dict) -> dict:
        return key_from_jwk_dict(jwk).serialize(private=False)

    @property
    def federation_jwks(self) -> dict:
        return {"keys": [self.public(self.federation)]}

    @property
    def core_jwks(self) -> dict:
        return {"keys": [self.public(self.signing), self.public(self.encryption)]}


def keys_dir() -> Path:
    return Path(settings.SPID_KEYS_DIR)


def load_keys() -> RpKeys:
    found = {}
    for role, name in FILES.items():
        path = keys_dir() / name
        if not path.exists():
            raise KeysMissing(f"{path} is missing: run `openmandato spid_keys` first")
        found[role] = json.loads(path.read_text(encoding="utf-8"))["keys"][0]
    return RpKeys(**found)


def _write(path: Path, jwk: dict) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"keys": [jwk]}, handle)


def generate_keys(directory: Path, *, rotate: bool = False, size: int = 2048) -> list[Path]:
    """Write new RSA keys; existing keys are kept unless rotate (then they move to *.old)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = []
    for role, name in FILES.items():
        path = directory / name
        if path.exists():
            if not rotate:
                continue
            path.replace(path.with_suffix(".old"))
        key = new_rsa_key(key_size=size, use="enc" if role == "encryption" else "sig")
        key.add_kid()
        _write(path, key.serialize(private=True))
        written.append(path)
    return written
