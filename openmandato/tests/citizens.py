"""Citizens for the tests of accounts and notifications: real users with a verified e-mail address."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from openmandato.citizens.models import Profile

PASSWORD = "una-password-lunga-42"


def make_citizen(name: str, *, frequency: str = "immediate", verified: bool = True, language: str = "it"):
    user = get_user_model().objects.create_user(name, email=f"{name}@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=f"{name}@example.org", verified=verified, primary=True)
    Profile.objects.create(user=user, display_name=name.title(), email_frequency=frequency, language=language)
    return user
