from django.urls import path

from openmandato.portal import feeds, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("compare/", views.compare, name="compare"),
    path("lang/<str:code>/", views.set_language, name="set_language"),
    path("<slug:slug>/", views.municipality, name="municipality"),
    path("<slug:slug>/search/", views.search, name="municipality_search"),
    path("<slug:slug>/sections/<int:pk>/", views.section, name="section"),
    path("<slug:slug>/actions/", views.action_list, name="action_list"),
    path("<slug:slug>/actions/<int:pk>/", views.action, name="action"),
    path("<slug:slug>/actions/<int:pk>/feed.atom", feeds.ActionFeed(), name="action_feed"),
    path("<slug:slug>/areas/<int:pk>/", views.area, name="area"),
    path("<slug:slug>/come-calcoliamo/", views.method, name="method"),
    path("<slug:slug>/feed.atom", feeds.MunicipalityFeed(), name="feed"),
    path("<slug:slug>/ledger.json", views.ledger_json, name="ledger"),
    path("<slug:slug>/evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
