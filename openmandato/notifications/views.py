"""The in-site inbox and the one-click unsubscribe (RFC 8058) that works without signing in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from openmandato.notifications import services
from openmandato.notifications.models import Notification


@login_required
def inbox(request):
    notifications = Notification.objects.filter(user=request.user).select_related("event")
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    rows = [(n, services.headline(n.event)) for n in page]
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "rows": rows, "unread": services.unread_count(request.user)},
    )


@login_required
def open_notification(request, pk):
    notification = get_object_or_404(Notification.objects.select_related("event"), pk=pk, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    return redirect(notification.event.url if notification.event.url.startswith("/") else "/")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(request.user)
    messages.success(request, _("Tutte le notifiche sono segnate come lette."))
    return redirect("notifications:inbox")


@csrf_exempt  # mail clients POST "List-Unsubscribe=One-Click" with no cookie: the signed token is the proof
def unsubscribe(request, token):
    user_id = services.user_id_from_token(token)
    if user_id is None:
        raise Http404
    done = False
    if request.method == "POST":
        done = services.unsubscribe(user_id)
        if not done:
            raise Http404
    response = render(request, "notifications/unsubscribe.html", {"done": done, "token": token})
    response["Cache-Control"] = "no-store"
    return response
