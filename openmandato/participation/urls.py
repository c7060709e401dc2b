from django.urls import path

from openmandato.participation import backoffice, views

app_name = "participation"
urlpatterns = [
    path("backoffice/partecipazione/moderazione/", backoffice.moderation, name="moderation"),
    path(
        "backoffice/partecipazione/commenti/<int:pk>/nascondi/", backoffice.comment_hide, name="comment_hide"
    ),
    path(
        "backoffice/partecipazione/commenti/<int:pk>/ripristina/",
        backoffice.comment_restore,
        name="comment_restore",
    ),
    path(
        "backoffice/partecipazione/commenti/<int:pk>/archivia/",
        backoffice.comment_dismiss,
        name="comment_dismiss",
    ),
    path("backoffice/partecipazione/segnalazioni/", backoffice.contests, name="contests"),
    path(
        "backoffice/partecipazione/segnalazioni/<int:pk>/risposta/",
        backoffice.contest_answer,
        name="contest_answer",
    ),
    path("backoffice/partecipazione/proposte/", backoffice.proposals, name="bo_proposals"),
    path(
        "backoffice/partecipazione/proposte/<int:pk>/risposta/",
        backoffice.proposal_answer,
        name="proposal_answer",
    ),
    path("backoffice/partecipazione/residenti/", backoffice.residents_home, name="residents_home"),
    path("backoffice/partecipazione/residenti/<slug:slug>/", backoffice.residents, name="residents"),
    path(
        "backoffice/partecipazione/residenti/<slug:slug>/regola/",
        backoffice.resident_rule,
        name="resident_rule",
    ),
    path(
        "backoffice/partecipazione/residenti/<slug:slug>/<int:user_id>/",
        backoffice.resident_change,
        name="resident_change",
    ),
    path("<slug:slug>/actions/<int:pk>/commenti/", views.comment_post, name="comment_post"),
    path("<slug:slug>/actions/<int:pk>/sostegno/", views.support, name="support"),
    path("<slug:slug>/commenti/<int:pk>/modifica/", views.comment_edit, name="comment_edit"),
    path("<slug:slug>/commenti/<int:pk>/segnala/", views.comment_report, name="comment_report"),
    path("<slug:slug>/aggiornamenti/<int:pk>/segnala/", views.contest, name="contest"),
    path("<slug:slug>/segnalazioni/<int:pk>/documento/", views.contest_document, name="contest_document"),
    path("<slug:slug>/proposte/", views.proposal_list, name="proposals"),
    path("<slug:slug>/proposte/nuova/", views.proposal_new, name="proposal_new"),
    path("<slug:slug>/proposte/<int:pk>/", views.proposal_detail, name="proposal"),
    path("<slug:slug>/proposte/<int:pk>/sostegno/", views.proposal_support, name="proposal_support"),
]
