from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "openmandato.security"
    label = "security"
    verbose_name = "Security"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_migrate

        from openmandato.security import throttle

        user_login_failed.connect(throttle.count_login_failure, dispatch_uid="om-login-failed")
        user_logged_in.connect(throttle.clear_login_failures, dispatch_uid="om-logged-in")
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="om-cache-table")


def create_cache_table(using="default", **kwargs):
    """`migrate` also creates the database cache's table, so the no-Redis fallback works at once."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
