"""Public pages of the transparency log: the latest signed checkpoint at a stable URL, every
checkpoint as JSON and as an Atom feed, and the instance's public key (note verifier-key format)."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from openmandato.accountability import tlog
from openmandato.accountability.models import Checkpoint
from openmandato.programs.models import Mandate

FEED_SIZE = 100


def checkpoint_txt(request, slug):
    checkpoint = tlog.latest(Mandate.objects.public().current().for_slug(slug))
    if checkpoint is None:
        raise Http404
    return HttpResponse(tlog.full_note(checkpoint), content_type="text/plain; charset=utf-8")


def checkpoints_json(request, slug):
    mandate = Mandate.objects.public().current().for_slug(slug)
    rows = (
        Checkpoint.objects.filter(mandate=mandate)
        .select_related("timestamp")
        .prefetch_related("cosignatures")
    )
    document = {
        "origin": tlog.origin_for(mandate),
        "vkey": tlog.verifier_key(),
        "checkpoints": [tlog.as_dict(c) for c in rows.order_by("tree_size")],
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})


def key_txt(request):
    return HttpResponse(tlog.verifier_key() + "\n", content_type="text/plain; charset=utf-8")


class CheckpointFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return Mandate.objects.public().current().for_slug(slug)

    def title(self, obj):
        return _("Checkpoint firmati del registro — %(name)s") % {"name": obj.municipality.name}

    def link(self, obj):
        return reverse("checkpoints_json", args=[obj.municipality.slug])

    def items(self, obj):
        return Checkpoint.objects.filter(mandate=obj).order_by("-tree_size")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.origin} #{item.tree_size}"

    def item_description(self, item):
        return item.note

    def item_link(self, item):
        return reverse("api:tlog_checkpoint", args=[item.mandate.municipality.slug, item.tree_size])

    def item_guid(self, item):
        return f"{item.origin}/{item.tree_size}/{item.root_hash}"

    def item_pubdate(self, item):
        return item.created_at


urlpatterns = [
    path("checkpoint-key.txt", key_txt, name="checkpoint_key"),
    path("<slug:slug>/checkpoint.txt", checkpoint_txt, name="checkpoint"),
    path("<slug:slug>/checkpoints.json", checkpoints_json, name="checkpoints_json"),
    path("<slug:slug>/checkpoints.atom", CheckpointFeed(), name="checkpoints_feed"),
]
