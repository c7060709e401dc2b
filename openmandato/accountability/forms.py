from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openmandato.accountability.models import ActKind, EvidenceKind, ProgressUpdate
from openmandato.accountability.services import EvidenceInput
from openmandato.core.forms import DateInput, StyledForm
from openmandato.programs.models import Area, Municipality, Section
from openmandato.programs.status import Status, check_status_progress

MAX_DOCUMENTS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data]
        files = [super(MultipleFileField, self).clean(item, initial) for item in items if item]
        if len(files) > MAX_DOCUMENTS:
            raise forms.ValidationError(
                _("Al massimo %(n)d documenti per aggiornamento.") % {"n": MAX_DOCUMENTS}, code="too_many"
            )
        return files


class UpdateChoiceField(forms.ModelChoiceField):
    """Updates told apart by date, status, progress and the start of their note."""

    def label_from_instance(self, obj: ProgressUpdate) -> str:
        note = " ".join(obj.note.split())
        note = f" — {note[:60]}{'…' if len(note) > 60 else ''}" if note else ""
        return f"{obj.date:%d/%m/%Y} · {obj.get_status_display()} {obj.progress}%{note}"


class ProgressUpdateForm(StyledForm):
    date = forms.DateField(label=_("Data"), widget=DateInput, initial=timezone.localdate)
    status = forms.ChoiceField(label=_("Stato"), choices=Status.choices)
    progress = forms.IntegerField(label=_("Avanzamento (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Nota"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text=_("Markdown: **grassetto**, elenchi, link."),
    )
    spent_budget = forms.DecimalField(
        label=_("Spesa sostenuta (€)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    corrects = UpdateChoiceField(
        label=_("Corregge l'aggiornamento"), required=False, queryset=ProgressUpdate.objects.none()
    )
    act_kind = forms.ChoiceField(
        label=_("Tipo di atto"), required=False, choices=[("", "—"), *ActKind.choices]
    )
    act_number = forms.CharField(label=_("Numero dell'atto"), required=False, max_length=30)
    act_date = forms.DateField(label=_("Data dell'atto"), required=False, widget=DateInput)
    act_url = forms.URLField(
        label=_("Link all'atto (facoltativo)"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "I link all'albo pretorio scadono dopo 15 giorni: meglio quello in amministrazione trasparente."
        ),
    )
    document = MultipleFileField(
        label=_("Documenti (PDF, immagini, documenti d'ufficio)"),
        required=False,
        help_text=_("Puoi allegare fino a 5 file."),
    )
    link_url = forms.URLField(label=_("Altro link"), required=False, assume_scheme="https")
    link_title = forms.CharField(label=_("Titolo del link"), required=False, max_length=200)
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].queryset = action.updates.order_by("-date", "-pk")

    def clean(self):
        data = super().clean()
        if data.get("status") and data.get("progress") is not None:
            try:
                check_status_progress(data["status"], data["progress"])
            except forms.ValidationError as error:
                self.add_error("progress", error)
        act_fields = [data.get("act_kind"), data.get("act_number"), data.get("act_date")]
        if (any(act_fields) or data.get("act_url")) and not all(act_fields):
            raise forms.ValidationError(
                _("Per citare un atto servono tipo, numero e data (il link è facoltativo).")
            )
        return data

    def evidence(self) -> list[EvidenceInput]:
        data = self.cleaned_data
        items = []
        if data.get("act_kind"):
            items.append(
                EvidenceInput(
                    kind=EvidenceKind.ACT,
                    act_kind=data["act_kind"],
                    act_number=data["act_number"],
                    act_date=data["act_date"],
                    url=data["act_url"] or "",
                )
            )
        for upload in data.get("document") or []:
            items.append(EvidenceInput(kind=EvidenceKind.DOCUMENT, upload=upload))
        if data.get("link_url"):
            items.append(
                EvidenceInput(kind=EvidenceKind.LINK, url=data["link_url"], title=data.get("link_title", ""))
            )
        return items


class MeasurementForm(StyledForm):
    date = forms.DateField(label=_("Data"), widget=DateInput, initial=timezone.localdate)
    value = forms.DecimalField(label=_("Valore"), max_digits=16, decimal_places=4)
    note = forms.CharField(label=_("Nota"), required=False, max_length=500)


class BootstrapFields:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class LoginForm(BootstrapFields, AuthenticationForm):
    pass


class PasswordResetRequestForm(BootstrapFields, PasswordResetForm):
    pass


class NewPasswordForm(BootstrapFields, SetPasswordForm):
    pass


class MyActionsFilter(StyledForm):
    """The filters of "Le mie azioni"; areas and sections are offered once a municipality is chosen
    (or when the user works for only one), so the page's cost never depends on the whole country."""

    municipality = forms.ModelChoiceField(
        label=_("Comune"), required=False, queryset=None, empty_label=_("Tutti i comuni")
    )
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=None, empty_label=_("Tutte le aree")
    )
    section = forms.ModelChoiceField(
        label=_("Sezione"), required=False, queryset=None, empty_label=_("Tutte le sezioni")
    )
    status = forms.ChoiceField(
        label=_("Stato"), required=False, choices=[("", _("Tutti gli stati")), *Status.choices]
    )
    since = forms.DateField(label=_("Non aggiornate dal"), required=False, widget=DateInput)
    q = forms.CharField(label=_("Cerca"), required=False, max_length=100)

    def __init__(self, data, *, municipalities):
        super().__init__(data)
        municipalities = list(municipalities)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            pk__in=[m.pk for m in municipalities]
        )
        self.fields["municipality"].choices = [("", _("Tutti i comuni"))] + [
            (m.pk, m.name) for m in municipalities
        ]
        chosen = self.data.get("municipality", "")
        if not chosen and len(municipalities) == 1:
            chosen = str(municipalities[0].pk)
        scope = next((m for m in municipalities if str(m.pk) == chosen), None)
        self.scope = scope
        self.fields["area"].queryset = (
            Area.objects.filter(municipality=scope) if scope else Area.objects.none()
        )
        self.fields["section"].queryset = (
            Section.objects.filter(mandate__municipality=scope).order_by("mandate_id", "path", "position")
            if scope
            else Section.objects.none()
        )

    def apply(self, actions):
        data = self.cleaned_data
        if data.get("municipality"):
            actions = actions.filter(mandate__municipality=data["municipality"])
        if data.get("area"):
            actions = actions.filter(areas=data["area"])
        if data.get("section"):
            actions = actions.filter(section=data["section"])
        if data.get("status"):
            actions = actions.filter(status=data["status"])
        if data.get("since"):
            actions = actions.filter(Q(last_update__lt=data["since"]) | Q(last_update__isnull=True))
        query = (data.get("q") or "").strip()
        if query:
            actions = actions.filter(Q(title__icontains=query) | Q(text__icontains=query) | Q(code=query))
        return actions
