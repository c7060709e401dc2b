"""Atom feeds of progress updates, per municipality and per action."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from openmandato.accountability.models import ProgressUpdate
from openmandato.programs.models import Action, Municipality


def _published_updates():
    return ProgressUpdate.objects.filter(
        action__mandate__is_current=True, action__mandate__is_published=True
    ).select_related("action__mandate__municipality")


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item):
        return f"{item.action.title} — {item.get_status_display()} {item.progress}%"

    def item_description(self, item):
        return item.note_html or item.get_status_display()

    def item_link(self, item):
        return f"{item.action.get_absolute_url()}#update-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at


class MunicipalityFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Municipality.objects.public(), slug=slug)

    def title(self, obj):
        return _("Aggiornamenti del programma di mandato — %(name)s") % {"name": obj.name}

    def link(self, obj):
        return reverse("portal:municipality", args=[obj.slug])

    def items(self, obj):
        return _published_updates().filter(action__mandate__municipality=obj).order_by("-created_at")[:50]


class ActionFeed(UpdatesFeed):
    def get_object(self, request, slug, pk):
        return get_object_or_404(
            Action.objects.select_related("mandate"),
            pk=pk,
            mandate__municipality__slug=slug,
            mandate__is_published=True,
        )

    def title(self, obj):
        return _("Aggiornamenti: %(title)s") % {"title": obj.title}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return _published_updates().filter(action=obj).order_by("-created_at")[:50]
