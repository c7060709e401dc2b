from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from openmandato.citizens.models import Profile

HONEYPOT = "website"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with a public name, the privacy notice, and a honeypot field that people never
    see (it is hidden by CSS) and form-filling robots do fill."""

    display_name = forms.CharField(
        label=_("Nome pubblico (facoltativo)"),
        max_length=60,
        required=False,
        help_text=_("Il nome mostrato accanto ai tuoi contributi. L'indirizzo e-mail non è mai mostrato."),
    )
    accept_privacy = forms.BooleanField(required=True)
    website = forms.CharField(label=_("Non compilare questo campo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_privacy"].label = format_html(
            '{} <a href="{}">{}</a>',
            _("Ho letto"),
            reverse_lazy("citizens:privacy"),
            _("l'informativa sul trattamento dei dati"),
        )
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_display_name(self):
        return clean_public_name(self.cleaned_data.get("display_name", ""))

    def clean(self):
        cleaned = super().clean()
        if self.data.get(HONEYPOT):
            raise forms.ValidationError(_("Registrazione non riuscita: riprova."), code="honeypot")
        return cleaned

    def save(self, request):
        user = super().save(request)
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": self.cleaned_data.get("display_name", ""),
                "language": getattr(request, "LANGUAGE_CODE", "it"),
            },
        )
        return user


def clean_public_name(value: str) -> str:
    value = " ".join((value or "").split())  # newlines, tabs and runs of spaces
    if any(ord(char) < 32 or 0xD800 <= ord(char) <= 0xDFFF for char in value):
        raise forms.ValidationError(_("Il nome contiene caratteri non ammessi."), code="control")
    if "@" in value:
        raise forms.ValidationError(
            _("Il nome pubblico non può contenere un indirizzo e-mail."), code="email"
        )
    return value


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "email_frequency", "language"]
        widgets = {"email_frequency": forms.RadioSelect}

    def clean_display_name(self):
        return clean_public_name(self.cleaned_data.get("display_name", ""))


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Scrivi CANCELLA per confermare"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().upper() not in {"CANCELLA", "DELETE"}:
            raise forms.ValidationError(_("Per confermare scrivi CANCELLA."), code="confirm")
        return self.cleaned_data["confirm"]
