"""The role form for municipality administrators: the user is named by exact username or e-mail, so the
form never lists every account on the instance (superusers keep Django's usual choice list)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from openmandato.core.models import Membership


class UserByNameField(forms.CharField):
    def clean(self, value):
        value = super().clean(value).strip()
        users = get_user_model().objects.filter(is_active=True)
        matches = list(users.filter(username=value)) or list(users.filter(email__iexact=value)[:2])
        if len(matches) != 1:
            raise forms.ValidationError(_("Nessun utente attivo con questo nome utente o indirizzo e-mail."))
        return matches[0]


class MembershipByNameForm(forms.ModelForm):
    user = UserByNameField(
        label=_("Utente"),
        max_length=254,
        help_text=_("Il nome utente o l'indirizzo e-mail esatto della persona."),
    )

    class Meta:
        model = Membership
        fields = ["user", "municipality", "role", "areas"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.user_id:
            self.initial["user"] = self.instance.user.get_username()
