from django.contrib import admin

from openmandato.citizens.models import Follow, Identity, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "email_frequency", "deleted_at"]
    list_filter = ["email_frequency"]
    search_fields = ["display_name", "user__username"]
    raw_id_fields = ["user"]


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "verified_at"]
    list_filter = ["provider"]
    raw_id_fields = ["user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "section", "area", "action", "created_at"]
    raw_id_fields = ["user", "municipality", "section", "area", "action"]
