from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from openmandato.portal import embeds, feeds, views
from openmandato.portal.caching import cacheable

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", RedirectView.as_view(url=static("portal/favicon.ico"), permanent=True)),
    path("search/", views.search, name="search"),
    path("compare/", views.compare, name="compare"),
    path("lang/<str:code>/", views.set_language, name="set_language"),
    path("oembed/", embeds.oembed, name="oembed"),
    path("<slug:slug>/", views.municipality, name="municipality"),
    path("<slug:slug>/search/", views.search, name="municipality_search"),
    path("<slug:slug>/embed/", embeds.municipality_embed, name="municipality_embed"),
    path("<slug:slug>/stemma/", views.municipality_logo, name="municipality_logo"),
    path("<slug:slug>/privacy/", views.privacy, name="privacy"),
    path("<slug:slug>/note-legali/", views.legal_notes, name="legal_notes"),
    path("<slug:slug>/sections/<int:pk>/", views.section, name="section"),
    path("<slug:slug>/actions/", views.action_list, name="action_list"),
    path("<slug:slug>/actions/<int:pk>/", views.action, name="action"),
    path("<slug:slug>/actions/<int:pk>/embed/", embeds.action_embed, name="action_embed"),
    path("<slug:slug>/actions/<int:pk>/feed.atom", cacheable(feeds.ActionFeed()), name="action_feed"),
    path("<slug:slug>/areas/<int:pk>/", views.area, name="area"),
    path("<slug:slug>/come-calcoliamo/", views.method, name="method"),
    path("<slug:slug>/feed.atom", cacheable(feeds.MunicipalityFeed()), name="feed"),
    path("<slug:slug>/ledger.json", views.ledger_json, name="ledger"),
    path("<slug:slug>/evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
