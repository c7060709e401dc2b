"""allauth, fitted to OpenMandato: its e-mails go through the task queue, and after signing in a
citizen lands on their personal area."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        from openmandato.citizens.tasks import deliver_email, message_to_dict

        message = self.render_mail(template_prefix, email, context)
        deliver_email.enqueue(message_to_dict(message))

    def get_login_redirect_url(self, request):
        return reverse("citizens:profile")

    def get_email_verification_redirect_url(self, email_address):
        return reverse("citizens:profile")
