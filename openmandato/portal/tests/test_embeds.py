"""Embeddable widgets and the oEmbed endpoint: framable, escaped, published programs only."""

import html
import re
from urllib.parse import quote

import pytest

from openmandato.core.models import Membership, Role
from openmandato.programs import rollup
from openmandato.programs.models import Action
from openmandato.tests.factory import make_mandate, make_municipality, make_section
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture
def borgo():
    mandate = make_mandate(make_municipality("Borgo"))
    section = make_section(mandate, "Ambiente")
    action = Action.objects.create(section=section, title="Piantare mille alberi", code="1", position=0)
    rollup.recompute_shares(mandate.pk)
    return action


@pytest.fixture
def hostile():
    mandate = make_mandate(make_municipality(HOSTILE, slug="ostile"), title=HOSTILE)
    section = make_section(mandate, HOSTILE)
    action = Action.objects.create(section=section, title=HOSTILE, text=HOSTILE, position=0)
    rollup.recompute_shares(mandate.pk)
    return action


def oembed(client, url, **params):
    return client.get("/oembed/", {"url": url, **params})


def test_the_widgets_may_be_framed_and_the_other_pages_may_not(client, borgo):
    for url in ["/borgo/embed/", f"/borgo/actions/{borgo.pk}/embed/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Frame-Options" not in response, url
        # browsers obey the CSP's frame-ancestors over X-Frame-Options: it must allow other sites too
        policy = [d.strip() for d in response["Content-Security-Policy"].split(";")]
        assert "frame-ancestors *" in policy and "frame-ancestors 'none'" not in policy, url
        assert "script-src 'self'" in policy, url
        assert "<script" not in response.content.decode()
    for url in ["/borgo/", f"/borgo/actions/{borgo.pk}/", "/borgo/actions/"]:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_the_widgets_show_the_progress_and_link_back(client, borgo):
    body = client.get(f"/borgo/actions/{borgo.pk}/embed/").content.decode()
    assert "<h1>Piantare mille alberi</h1>" in body
    assert "Non avviata" in body and "0%" in body
    assert f'href="http://testserver/borgo/actions/{borgo.pk}/" target="_blank" rel="noopener"' in body
    overall = client.get("/borgo/embed/").content.decode()
    assert "<h1>Comune di Borgo</h1>" in overall and "1 azione" in overall


def test_oembed_answers_a_rich_json_per_the_spec(client, borgo):
    response = oembed(client, f"http://testserver/borgo/actions/{borgo.pk}/", maxwidth=300)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["title"] == "Piantare mille alberi"
    assert data["provider_name"] == "OpenMandato" and data["provider_url"] == "http://testserver/"
    assert data["width"] == 300 and isinstance(data["height"], int) and data["height"] > 0
    assert data["author_name"] == "Comune di Borgo"
    iframe = re.fullmatch(
        r'<iframe src="([^"]+)" title="([^"]+)" width="300" height="(\d+)"[^>]*></iframe>', data["html"]
    )
    assert iframe, data["html"]
    assert iframe.group(1) == f"http://testserver/borgo/actions/{borgo.pk}/embed/"
    assert client.get(iframe.group(1)).status_code == 200
    comune = oembed(client, "http://testserver/borgo/").json()
    assert comune["type"] == "rich" and 'src="http://testserver/borgo/embed/"' in comune["html"]


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("http://testserver/borgo/", {"format": "xml"}, 501),
        ("http://evil.example/borgo/", {}, 404),
        ("javascript:alert(1)", {}, 404),
        ("http://testserver/borgo/actions/", {}, 404),  # not an embeddable page
        ("http://testserver/nessuno/", {}, 404),
        ("", {}, 404),
    ],
)
def test_oembed_refuses_what_it_cannot_embed(client, borgo, url, params, status):
    assert oembed(client, url, **params).status_code == status


def test_hostile_names_are_escaped_everywhere(client, hostile):
    pages = [
        client.get("/ostile/embed/").content.decode(),
        client.get(f"/ostile/actions/{hostile.pk}/embed/").content.decode(),
        client.get(f"/ostile/actions/{hostile.pk}/").content.decode(),
        client.get("/ostile/").content.decode(),
    ]
    for body in pages:
        assert "<script>alert(1)" not in body
        assert "<img src=x" not in body
    data = oembed(client, f"http://testserver/ostile/actions/{hostile.pk}/").json()
    assert "<script" not in data["html"] and "<img" not in data["html"]
    assert html.escape(HOSTILE, quote=True)[:20] in data["html"]
    # The snippet is shown as text in a textarea: what a comune copies is the escaped code.
    action_page = pages[2]
    snippet = action_page.split('id="embed-code"', 1)[1].split("</textarea>", 1)[0]
    assert "<iframe" not in snippet and "&lt;iframe" in snippet
    assert html.unescape(snippet.split(">", 1)[1]).startswith('<iframe src="http://testserver/ostile/')
    assert "<script" not in html.unescape(snippet.split(">", 1)[1])


def test_drafts_are_never_embeddable_even_for_their_staff(client, borgo):
    mandate = borgo.mandate
    mandate.is_published = False
    mandate.save()
    staff = make_user("redattrice")
    Membership.objects.create(user=staff, municipality=mandate.municipality, role=Role.ADMINISTRATOR)
    client.force_login(staff)
    assert client.get(f"/borgo/actions/{borgo.pk}/").status_code == 200  # staff see the draft
    for url in ["/borgo/embed/", f"/borgo/actions/{borgo.pk}/embed/"]:
        assert client.get(url).status_code == 404, url
    assert oembed(client, f"http://testserver/borgo/actions/{borgo.pk}/").status_code == 404
    assert oembed(client, "http://testserver/borgo/").status_code == 404
    assert 'id="embed-code"' not in client.get(f"/borgo/actions/{borgo.pk}/").content.decode()


def test_pages_offer_the_snippet_and_oembed_discovery(client, borgo):
    for page in ["/borgo/", f"/borgo/actions/{borgo.pk}/"]:
        body = client.get(page).content.decode()
        link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', body)
        assert link, page
        assert html.unescape(link.group(1)) == (
            f"http://testserver/oembed/?url={quote('http://testserver' + page, safe='')}&format=json"
        )
        assert client.get(html.unescape(link.group(1))).json()["type"] == "rich"
        assert 'id="embed-code"' in body and "Incorpora nel tuo sito" in body
