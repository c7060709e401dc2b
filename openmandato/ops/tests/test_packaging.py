"""The licence, the catalogue metadata and the wheel's contents are what a public body needs to reuse it."""

import hashlib
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]

# SHA-256 of the EUPL-1.2 text as shipped by the SPDX licence list (npm spdx-license-list 6.12.0).
EUPL_SHA256 = "57fb42fbcd0b037ce528ed8f72f1ec095d67bc6825ecf1448ff39be1fe68a4b4"


def test_the_licence_is_the_eupl_1_2_and_pyproject_says_so():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016\n")
    for article in range(1, 16):
        assert f"\n{article}." in text, f"article {article} is missing"
    assert "Appendix" in text and "Compatible Licences" in text
    assert hashlib.sha256(text.encode()).hexdigest() == EUPL_SHA256
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "EUPL-1.2"
    assert project["license-files"] == ["LICENSE"]


REQUIRED = [
    "publiccodeYmlVersion",
    "name",
    "url",
    "platforms",
    "categories",
    "developmentStatus",
    "softwareType",
    "description",
    "legal",
    "maintenance",
    "localisation",
]
# Values the standard (publiccode.yml 0.4) allows for these keys.
DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPE = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
MAINTENANCE = {"internal", "contract", "community", "none"}


def test_publiccode_yml_has_every_required_key_with_allowed_values():
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert [key for key in REQUIRED if key not in data] == []
    assert data["publiccodeYmlVersion"] == "0.4"
    assert data["developmentStatus"] in DEVELOPMENT_STATUS
    assert data["softwareType"] in SOFTWARE_TYPE
    assert data["legal"]["license"] == "EUPL-1.2"
    assert data["maintenance"]["type"] in MAINTENANCE
    assert data["maintenance"]["contacts"]  # required for internal/contract, given anyway
    assert data["localisation"]["localisationReady"] is True
    assert set(data["localisation"]["availableLanguages"]) == {"it", "en"}
    for language in ("it", "en"):
        description = data["description"][language]
        assert len(description["shortDescription"]) <= 150
        assert 150 <= len(description["longDescription"]) <= 10000
        assert description["features"]
    assert data["url"].startswith("https://")
    assert (ROOT / data["logo"]).exists()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert data["softwareVersion"] == project["version"]


def test_the_wheel_ships_templates_static_files_translations_and_migrations():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    patterns = package_data["*"]
    for needed in ("templates/**/*", "static/**/*", "locale/**/*"):
        assert needed in patterns
    # migrations are packages (they have __init__.py), so find_packages takes them
    for migrations in (ROOT / "openmandato").glob("*/migrations"):
        assert (migrations / "__init__.py").exists(), migrations
