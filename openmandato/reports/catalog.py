"""DCAT-AP_IT catalogue (JSON-LD) of the open data, for harvesting by the national open-data portal."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.urls import reverse

from openmandato.portal.models import ChangeMarker, municipality_key
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


PAGE_SIZE = 100


def catalogue(build_url, page_number=None) -> dict:
    """One page of the catalogue (PAGE_SIZE datasets), with hydra paging links to the others: harvesters
    follow `hydra:next`; a page's cost does not depend on how many comuni there are."""
    mandates = (
        Mandate.objects.public()
        .current()
        .select_related("municipality")
        .order_by("municipality__name", "municipality_id")
    )
    page = Paginator(mandates, PAGE_SIZE).get_page(page_number)
    keys = {municipality_key(mandate.municipality.slug): mandate.pk for mandate in page.object_list}
    # When each comune last changed: its change marker, kept by the writes (portal/changes.py).
    modified = {
        keys[key]: at
        for key, at in ChangeMarker.objects.filter(key__in=keys).values_list("key", "changed_at")
    }
    licence = {
        "@id": LICENCE["url"],
        "@type": ["dct:LicenseDocument", "dcatapit:LicenseDocument"],
        "foaf:name": LICENCE["name"],
    }
    datasets = []
    for mandate in page.object_list:
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
    base = build_url(reverse("reports:catalog"))
    paging = {
        "@id": f"{base}?page={page.number}",
        "@type": "hydra:PartialCollectionView",
        "hydra:first": f"{base}?page=1",
        "hydra:last": f"{base}?page={page.paginator.num_pages}",
    }
    if page.has_next():
        paging["hydra:next"] = f"{base}?page={page.next_page_number()}"
    if page.has_previous():
        paging["hydra:previous"] = f"{base}?page={page.previous_page_number()}"
    return {
        "@context": {**CONTEXT, "hydra": "http://www.w3.org/ns/hydra/core#"},
        "@id": base,
        "hydra:totalItems": page.paginator.count,
        "hydra:view": paging,
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": "OpenMandato — programmi di mandato dei comuni",
        "dct:description": "Stato di attuazione dei programmi di mandato pubblicati su OpenMandato.",
        "dct:language": {"@id": EU + "language/ITA"},
        "foaf:homepage": {"@id": build_url("/")},
        "dcat:dataset": datasets,
    }
