from django import forms
from django.utils.translation import gettext_lazy as _

from openmandato.accountability.forms import StyledForm
from openmandato.accountability.models import Role
from openmandato.programs.models import Area, Municipality


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
