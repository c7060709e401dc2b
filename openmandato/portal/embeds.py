"""Embeddable widgets of a comune's overall progress and of one action, and their oEmbed endpoint.

The widget pages are the only pages that may be framed by other sites (X-Frame-Options exempt); they are
small, need no script and link back to the full page. Drafts are never embeddable, whoever asks.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from openmandato.portal import services
from openmandato.portal.caching import cacheable
from openmandato.programs import rollup
from openmandato.programs.models import Action, Municipality

MUNICIPALITY_SIZE = (360, 220)
ACTION_SIZE = (360, 200)


def iframe_html(src: str, title: str, width: int, height: int) -> str:
    """The snippet a comune pastes into its own site (every value escaped)."""
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" style="border:0;max-width:100%">'
        "</iframe>",
        src,
        title,
        width,
        height,
    )


def published_mandate(municipality):
    mandate = municipality.mandates.public().current().first()
    if mandate is None:
        raise Http404
    return mandate


def published_action(slug, pk):
    return get_object_or_404(
        Action.objects.public().in_current_mandate().select_related("mandate__municipality", "section"),
        pk=pk,
        mandate__municipality__slug=slug,
    )


def municipality_widget(request, municipality) -> dict:
    return {
        "src": request.build_absolute_uri(reverse("portal:municipality_embed", args=[municipality.slug])),
        "title": _("Avanzamento del programma — Comune di %(name)s") % {"name": municipality.name},
        "size": MUNICIPALITY_SIZE,
    }


def action_widget(request, action) -> dict:
    slug = action.mandate.municipality.slug
    return {
        "src": request.build_absolute_uri(reverse("portal:action_embed", args=[slug, action.pk])),
        "title": _("Avanzamento: %(title)s") % {"title": action.heading},
        "size": ACTION_SIZE,
    }


def snippet(widget: dict) -> str:
    return iframe_html(widget["src"], widget["title"], *widget["size"])


def frameable(view):
    """The widgets are made to be framed by other sites: no X-Frame-Options, and a Content-Security-Policy
    whose frame-ancestors allows any site (every other page keeps 'none')."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        directives = [
            d.strip()
            for d in settings.CONTENT_SECURITY_POLICY.split(";")
            if d.strip() and not d.strip().startswith("frame-ancestors")
        ]
        response["Content-Security-Policy"] = "; ".join([*directives, "frame-ancestors *"])
        return response

    return xframe_options_exempt(wrapped)


@frameable
@cacheable
def municipality_embed(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    mandate = published_mandate(municipality)
    leaves = mandate.actions.active().leaves()
    context = {
        "municipality": municipality,
        "mandate": mandate,
        "progress": rollup.mandate_progress(mandate),
        "status_counts": [row for row in services.status_counts(leaves) if row[2]],
        "leaf_count": leaves.count(),
        "page_url": request.build_absolute_uri(municipality.get_absolute_url()),
    }
    return render(request, "portal/embed_municipality.html", context)


@frameable
@cacheable
def action_embed(request, slug, pk):
    action = published_action(slug, pk)
    context = {
        "action": action,
        "municipality": action.mandate.municipality,
        "last_update": action.updates.current().first(),
        "page_url": request.build_absolute_uri(action.get_absolute_url()),
    }
    return render(request, "portal/embed_action.html", context)


def oembed(request):
    """oEmbed 1.0 (https://oembed.com/): `type: rich`, JSON only; the URL must be a page of this site."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)
    target = urlsplit(request.GET.get("url", "")[:2000])
    if target.scheme not in ("http", "https") or target.netloc != request.get_host():
        raise Http404
    try:
        match = resolve(target.path)
    except Resolver404 as error:
        raise Http404 from error
    if match.view_name in ("portal:municipality", "portal:municipality_embed"):
        municipality = get_object_or_404(Municipality, slug=match.kwargs["slug"])
        published_mandate(municipality)
        widget = municipality_widget(request, municipality)
        title = _("Comune di %(name)s") % {"name": municipality.name}
        author = municipality
    elif match.view_name in ("portal:action", "portal:action_embed"):
        action = published_action(match.kwargs["slug"], match.kwargs["pk"])
        widget = action_widget(request, action)
        title = action.heading
        author = action.mandate.municipality
    else:
        raise Http404
    width, height = widget["size"]
    width = min(width, _bounded(request.GET.get("maxwidth"), width))
    height = min(height, _bounded(request.GET.get("maxheight"), height))
    data = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "author_name": _("Comune di %(name)s") % {"name": author.name},
        "author_url": request.build_absolute_uri(author.get_absolute_url()),
        "provider_name": "OpenMandato",
        "provider_url": request.build_absolute_uri("/"),
        "cache_age": 3600,
        "html": iframe_html(widget["src"], widget["title"], width, height),
        "width": width,
        "height": height,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bounded(value, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(1, min(number, 2000))
