"""Text in the report can never make the server fetch a URL (SSRF): names are HTML content, CSS
strings escape every significant character, and WeasyPrint may read only our static files and evidence."""

import http.server
import threading
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from openmandato.portal.templatetags.portal import css_string
from openmandato.programs.models import Municipality
from openmandato.reports.fetcher import RefusedURL, ReportURLFetcher
from openmandato.reports.tests.test_report import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def hostile_names(base: str) -> list[str]:
    escape = f"; }} }} body {{ background: url({base}/body) }} .x {{ x: y"
    return [
        f"Valenza\f{escape}",
        f"Valenza\r{escape}",
        f'Valenza\\"{escape}',
        f"Valenza'); background: url({base}/quote) ; x: ('",
        f'Valenza</style><link rel="stylesheet" href="{base}/sheet"><style>',
    ]


def test_a_hostile_municipality_name_fetches_nothing_and_still_prints(demo, listener):
    base, hits = listener
    for name in hostile_names(base):
        Municipality.objects.filter(slug="valenza").update(name=name)
        response = Client().get("/valenza/report.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        _pages, text = pdf_text(response.content)
        assert "comune di valenza" in text.replace("\x00", "").lower()
    assert hits == []


def test_the_fetcher_refuses_anything_but_our_files(settings, tmp_path, listener):
    base, hits = listener
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "evidence").mkdir()
    evidence = tmp_path / "evidence" / "delibera.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = ReportURLFetcher()
    font = Path(
        finders.find(
            "vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2"
        )
    )
    assert fetcher.fetch(font.as_uri()).read(4) == b"wOF2"
    assert fetcher.fetch(evidence.as_uri()).read() == b"%PDF-1.4 evidence"
    refused = [
        f"{base}/direct",
        "https://example.org/x.css",
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
        (tmp_path / "secret.txt").as_uri(),
        (tmp_path / "evidence" / ".." / "secret.txt").as_uri().replace("/evidence/../", "/evidence/%2e%2e/"),
        "data:text/css,body{}",
    ]
    for url in refused:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert hits == []


@pytest.mark.parametrize(
    "text", ["a\fb", "a\rb", "a\nb", 'a"b', "a\\b", "a'b", "url(x)", "a</style>b", "a;}b"]
)
def test_css_strings_escape_every_significant_character(text):
    escaped = css_string(text)
    assert not any(c in escaped for c in '\f\r\n"<>;(){}') and "\\" not in escaped.replace("\\0000", "")
