from django import forms
from django.utils.translation import gettext_lazy as _

from openmandato.accountability.models import Direction
from openmandato.core.forms import DateInput, StyledForm
from openmandato.core.models import Role
from openmandato.programs.models import Area, Municipality
from openmandato.spid.services import validate_fiscal_code


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.municipality.name})"


class InvitationForm(StyledForm):
    email = forms.EmailField(label=_("E-mail della persona da invitare"), max_length=254)
    municipality = forms.ModelChoiceField(label=_("Comune"), queryset=Municipality.objects.none())
    role = forms.ChoiceField(label=_("Ruolo"), choices=Role.choices)
    areas = AreaChoiceField(
        label=_("Aree (per il responsabile di area)"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()
        self.fields["areas"].queryset = (
            Area.objects.filter(municipality__in=municipalities)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )
        self.fields["areas"].widget.attrs.pop("class", None)

    def clean(self):
        data = super().clean()
        municipality, areas = data.get("municipality"), data.get("areas") or []
        if municipality and any(area.municipality_id != municipality.pk for area in areas):
            self.add_error("areas", _("Scegli aree del comune selezionato."))
        if data.get("role") == Role.AREA_MANAGER and not areas:
            self.add_error("areas", _("Un responsabile di area ha bisogno di almeno un'area."))
        return data


class FiscalCodeInvitationForm(InvitationForm):
    """Staff who will sign in with SPID or CIE: invited by fiscal code, no e-mail and no password."""

    email = None
    fiscal_code = forms.CharField(
        label=_("Codice fiscale della persona da invitare"),
        max_length=40,
        help_text=_("Entrerà con SPID o CIE: il ruolo le viene dato al primo accesso."),
    )
    field_order = ["fiscal_code", "municipality", "role", "areas"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cf", **kwargs)
        self.fields["fiscal_code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        )

    def clean_fiscal_code(self):
        return validate_fiscal_code(self.cleaned_data["fiscal_code"])


class AreaForm(StyledForm):
    municipality = forms.ModelChoiceField(label=_("Comune"), queryset=Municipality.objects.none())
    name = forms.CharField(label=_("Nome dell'area"), max_length=255)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()


class IndicatorForm(StyledForm):
    name = forms.CharField(label=_("Nome dell'indicatore"), max_length=200)
    unit = forms.CharField(label=_("Unità di misura"), max_length=50)
    baseline = forms.DecimalField(label=_("Valore iniziale"), max_digits=16, decimal_places=4)
    baseline_date = forms.DateField(label=_("Data del valore iniziale"), widget=DateInput)
    target = forms.DecimalField(label=_("Target"), max_digits=16, decimal_places=4)
    target_date = forms.DateField(label=_("Data del target"), widget=DateInput)
    direction = forms.ChoiceField(label=_("Il valore deve"), choices=Direction.choices)

    def clean(self):
        data = super().clean()
        baseline, target, direction = data.get("baseline"), data.get("target"), data.get("direction")
        if None in (baseline, target) or not direction:
            return data
        beyond = target > baseline if direction == Direction.UP else target < baseline
        if not beyond:
            self.add_error(
                "target", _("Il target deve essere oltre il valore iniziale nella direzione scelta.")
            )
        return data
