from django.urls import path

from openmandato.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("lette/", views.mark_all_read, name="mark_all_read"),
    path("disiscrivi/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
