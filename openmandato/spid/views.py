import hmac
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from openmandato.spid import conf, federation, oidc, services
from openmandato.spid.federation import FederationError
from openmandato.spid.keys import KeysMissing, load_keys

logger = logging.getLogger(__name__)
PENDING = "om_oidc_pending"


def _keys_or_404():
    if not any(conf.enabled(m) for m in conf.METHODS):
        raise Http404
    try:
        return load_keys()
    except KeysMissing:
        logger.error("SPID/CIE are enabled but the RP keys are missing in %s", settings.SPID_KEYS_DIR)
        raise Http404 from None


@require_GET
def entity_configuration(request):
    keys = _keys_or_404()
    return HttpResponse(
        federation.entity_configuration(keys), content_type="application/entity-statement+jwt"
    )


def _fail(request, exc: FederationError):
    logger.warning("SPID/CIE sign-in refused: %s (%s)", exc.message, exc.detail)
    messages.error(request, exc.message)
    return redirect("account_login")


def _safe_next(request, raw) -> str:
    """A path on this site to land on after signing in, or "" (never another site)."""
    if not isinstance(raw, str) or not raw.startswith("/") or len(raw) > 500:
        return ""
    ok = url_has_allowed_host_and_scheme(raw, allowed_hosts={request.get_host()}, require_https=False)
    return raw if ok else ""


@never_cache
@require_GET
def sign_in(request):
    """The SPID/CIE buttons on their own, also for someone already signed in with e-mail whom an action
    asks for a stronger sign-in."""
    if not any(conf.enabled(m) for m in conf.METHODS):
        raise Http404
    return render(request, "spid/sign_in.html", {"next": _safe_next(request, request.GET.get("next"))})


@never_cache
@require_GET
def begin(request, method):
    if method not in conf.METHODS or not conf.enabled(method):
        raise Http404
    keys = _keys_or_404()
    provider_id = request.GET.get("provider", "")
    if provider_id not in conf.providers(method):
        return _fail(request, FederationError(_("Fornitore d'identità sconosciuto."), provider_id[:80]))
    try:
        provider = federation.resolve_provider(provider_id, settings.OIDCFED_REQUIRED_TRUST_MARKS)
        url, pending = oidc.authorization_request(provider, keys, method, conf.request_level(method))
    except FederationError as exc:
        return _fail(request, exc)
    pending["next"] = _safe_next(request, request.GET.get("next"))
    request.session[PENDING] = pending
    return redirect(url)


@never_cache
@require_GET
def callback(request):
    keys = _keys_or_404()
    pending = request.session.pop(PENDING, None)
    state = request.GET.get("state", "")
    if not pending or not hmac.compare_digest(str(pending.get("state", "")), state):
        return _fail(
            request,
            FederationError(_("La risposta non corrisponde alla richiesta di accesso: riprova."), "state"),
        )
    if request.GET.get("error") or not request.GET.get("code"):
        return _fail(
            request,
            FederationError(
                _("L'accesso è stato annullato o rifiutato dal fornitore d'identità."),
                f"{request.GET.get('error', '')[:40]}: {request.GET.get('error_description', '')[:200]}",
            ),
        )
    if request.GET.get("iss") and request.GET["iss"] != pending["provider"]:
        return _fail(
            request,
            FederationError(_("La risposta non corrisponde alla richiesta di accesso: riprova."), "iss"),
        )
    try:
        provider = federation.resolve_provider(pending["provider"], settings.OIDCFED_REQUIRED_TRUST_MARKS)
        claims = oidc.exchange_code(provider, keys, pending, request.GET["code"])
        user = services.sign_in_with_identity(pending["method"], provider.entity_id, claims)
    except FederationError as exc:
        return _fail(request, exc)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[conf.SESSION_LEVEL] = claims["acr_level"]
    request.session["om_login_method"] = pending["method"]
    return redirect(pending.get("next") or "citizens:profile")
