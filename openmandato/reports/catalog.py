"""DCAT-AP_IT catalogue (JSON-LD) of the open data, for harvesting by the national open-data portal."""

from __future__ import annotations

from django.db.models import Max
from django.urls import reverse

from openmandato.accountability.models import LedgerEntry
from openmandato.programs.models import Mandate
from openmandato.reports.exports import LICENCE

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatapit": "http://dati.gov.it/onto/dcatapit#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"
FORMATS = [
    ("export.csv", "CSV", "text/csv"),
    ("export.json", "JSON", "application/json"),
    ("export.xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
]


def catalogue(build_url) -> dict:
    mandates = (
        Mandate.objects.published().current().select_related("municipality").order_by("municipality__name")
    )
    modified = dict(
        LedgerEntry.objects.values("mandate_id")
        .annotate(at=Max("created_at"))
        .values_list("mandate_id", "at")
    )
    licence = {
        "@id": LICENCE["url"],
        "@type": ["dct:LicenseDocument", "dcatapit:LicenseDocument"],
        "foaf:name": LICENCE["name"],
    }
    datasets = []
    for mandate in mandates:
        municipality = mandate.municipality
        agent = {
            "@type": ["foaf:Agent", "dcatapit:Agent"],
            "dct:identifier": municipality.istat_code or municipality.slug,
            "foaf:name": f"Comune di {municipality.name}",
        }
        changed = modified.get(mandate.pk) or mandate.imported_at
        datasets.append(
            {
                "@id": build_url(reverse("reports:export", args=[municipality.slug, "json"])) + "#dataset",
                "@type": ["dcat:Dataset", "dcatapit:Dataset"],
                "dct:identifier": f"{municipality.istat_code or municipality.slug}:openmandato:{mandate.pk}",
                "dct:title": f"Stato di attuazione del programma di mandato — Comune di {municipality.name}",
                "dct:description": (
                    f"Azioni del programma «{mandate.title}» con stato, avanzamento, aree responsabili, "
                    "budget, scadenze, aggiornamenti con le fonti e misurazioni degli indicatori."
                ),
                "dct:modified": {
                    "@value": changed.date().isoformat() if changed else None,
                    "@type": "xsd:date",
                },
                "dct:language": {"@id": EU + "language/ITA"},
                "dcat:theme": {"@id": EU + "data-theme/GOVE"},
                "dct:accrualPeriodicity": {"@id": EU + "frequency/IRREG"},
                "dct:publisher": agent,
                "dct:rightsHolder": agent,
                "dcat:landingPage": {"@id": build_url(municipality.get_absolute_url())},
                "dcat:contactPoint": {
                    "@type": ["vcard:Organization", "dcatapit:Organization"],
                    "vcard:fn": f"Comune di {municipality.name}",
                    "vcard:hasURL": {"@id": build_url(municipality.get_absolute_url())},
                },
                "dcat:distribution": [
                    {
                        "@id": build_url(
                            reverse("reports:export", args=[municipality.slug, fmt.split(".")[1]])
                        ),
                        "@type": ["dcat:Distribution", "dcatapit:Distribution"],
                        "dct:title": f"{name} — Comune di {municipality.name}",
                        "dcat:accessURL": {
                            "@id": build_url(reverse("reports:dictionary", args=[municipality.slug]))
                        },
                        "dcat:downloadURL": {
                            "@id": build_url(
                                reverse("reports:export", args=[municipality.slug, fmt.split(".")[1]])
                            )
                        },
                        "dct:format": {"@id": EU + "file-type/" + name},
                        "dcat:mediaType": media,
                        "dct:license": licence,
                    }
                    for fmt, name, media in FORMATS
                ],
            }
        )
    return {
        "@context": CONTEXT,
        "@id": build_url(reverse("reports:catalog")),
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": "OpenMandato — programmi di mandato dei comuni",
        "dct:description": "Stato di attuazione dei programmi di mandato pubblicati su OpenMandato.",
        "dct:language": {"@id": EU + "language/ITA"},
        "foaf:homepage": {"@id": build_url("/")},
        "dcat:dataset": datasets,
    }
