from django.urls import path

from openmandato.accountability import program_views, staff_views, views

# The back-office namespace also holds the importer's pages: the project's urls.py puts them together.
app_name = "backoffice"
urlpatterns = [
    path("", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("indicators/<int:pk>/measurements/", views.measurement_add, name="measurement_add"),
    path("audit/", views.audit_log, name="audit_log"),
    path("staff/", staff_views.staff, name="staff"),
    path("areas/", program_views.areas, name="areas"),
    path("areas/<int:pk>/", program_views.area_actions, name="area_actions"),
    path("areas/<int:pk>/assign/", program_views.area_assign, name="area_assign"),
    path("actions/<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
]
