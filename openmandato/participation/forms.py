"""Participation forms. Each public form carries a honeypot field people never see: a bot that fills
it in gets the same page back and nothing is written."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openmandato.participation.models import ContestedClaim, ProposalKind, ProposalStatus
from openmandato.participation.services import MAX_ANSWER, MAX_COMMENT, MAX_CONTEST, MAX_PROPOSAL
from openmandato.spid.services import MAX_REASON as MAX_RESIDENT_REASON

MAX_ID = 2**63 - 1
HONEYPOT = "website"


class StyledForm(forms.Form):
    """Bootstrap Italia classes on every widget (radios and check boxes get theirs in the template)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput | forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input" if not isinstance(widget, forms.HiddenInput) else ""
            else:
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if css:
                widget.attrs["class"] = css


class HoneypotForm(StyledForm):
    website = forms.CharField(required=False, label=_("Lascia vuoto questo campo"))

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class CommentForm(HoneypotForm):
    body = forms.CharField(
        label=_("Il tuo commento"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: **grassetto**, *corsivo*, elenchi, link."),
    )
    parent = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    official = forms.BooleanField(required=False, label=_("Risposta ufficiale del Comune"))


class CommentEditForm(StyledForm):
    body = forms.CharField(label=_("Testo"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 5}))


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Motivo"), max_length=300)


class ResidentRuleForm(StyledForm):
    residents_only_proposals = forms.BooleanField(
        label=_("Accetta proposte solo dai residenti verificati di questo comune"), required=False
    )


class ResidentChangeForm(StyledForm):
    """Marking or unmarking a verified resident: the state the page showed, and a short reason."""

    mark = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1", widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Motivo"),
        max_length=MAX_RESIDENT_REASON,
        help_text=_(
            "Una riga, senza dati personali (ad esempio «verificato all'anagrafe»). "
            "Resta nel registro delle modifiche."
        ),
    )


class ProposalForm(HoneypotForm):
    kind = forms.ChoiceField(
        label=_("Che cosa proponi"), choices=ProposalKind.choices, widget=forms.RadioSelect
    )
    action = forms.IntegerField(
        label=_("Numero dell'azione da migliorare"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Solo per un miglioramento: l'identificativo nell'indirizzo della pagina dell'azione."),
    )
    title = forms.CharField(label=_("Titolo"), max_length=200)
    body = forms.CharField(
        label=_("La proposta"),
        max_length=MAX_PROPOSAL,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **grassetto**, *corsivo*, elenchi, link."),
    )


class ProposalFilter(StyledForm):
    status = forms.ChoiceField(
        label=_("Stato"), required=False, choices=[("", _("Tutti")), *ProposalStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Tutti")), *ProposalKind.choices]
    )
    sort = forms.ChoiceField(
        label=_("Ordina per"),
        required=False,
        choices=[("", _("Più recenti")), ("supports", _("Più sostenute"))],
    )


class ProposalAnswerForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Esito"),
        choices=[(s, label) for s, label in ProposalStatus.choices if s != ProposalStatus.OPEN],
    )
    answer = forms.CharField(
        label=_("Risposta pubblica"),
        required=False,
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    linked_action = forms.IntegerField(
        label=_("Azione collegata (identificativo)"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Per una proposta accolta: l'azione esistente o quella creata per accoglierla."),
    )


class ContestForm(HoneypotForm):
    claim = forms.ChoiceField(
        label=_("Che cosa contesti"), choices=ContestedClaim.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Perché"), max_length=MAX_CONTEST, widget=forms.Textarea(attrs={"rows": 5})
    )
    link = forms.URLField(
        label=_("Link a una fonte (facoltativo)"), required=False, max_length=500, assume_scheme="https"
    )
    document = forms.FileField(
        label=_("Documento (facoltativo)"),
        required=False,
        help_text=_("PDF, immagini o documenti d'ufficio."),
    )


class ContestAnswerForm(StyledForm):
    answer = forms.CharField(
        label=_("Risposta pubblica"), max_length=MAX_ANSWER, widget=forms.Textarea(attrs={"rows": 5})
    )
