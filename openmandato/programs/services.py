"""Program edits made from the back-office: responsible areas and which actions they own.
Each checks the user's role in the municipality, runs in one transaction and is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from openmandato.core.permissions import can_edit_program, require
from openmandato.programs.models import Action, Area, Municipality


def create_area(municipality: Municipality, *, name: str, user) -> Area:
    require(can_edit_program(user, municipality.pk))
    name = " ".join(name.split())
    if not name or len(name) > 255:
        raise ValidationError(_("Il nome dell'area deve avere da 1 a 255 caratteri."), code="name")
    if "\x00" in name:
        raise ValidationError(_("Il nome contiene caratteri non validi."), code="name")
    with transaction.atomic():
        if Area.objects.filter(municipality=municipality, name__iexact=name).exists():
            raise ValidationError(
                _("Esiste già un'area «%(name)s» in questo comune.") % {"name": name}, code="duplicate"
            )
        try:
            with transaction.atomic():
                area = Area.objects.create(municipality=municipality, name=name)
        except IntegrityError:  # the same name, a moment earlier, from another request
            raise ValidationError(
                _("Esiste già un'area «%(name)s» in questo comune.") % {"name": name}, code="duplicate"
            ) from None
        area.log_action("create", user=user, after={"name": name})
    return area


def assign_actions_to_area(area: Area, action_ids: list[int], *, user, remove: bool = False) -> int:
    """Add (or remove) `area` on many actions of its municipality at once; returns how many changed."""
    require(can_edit_program(user, area.municipality_id))
    with transaction.atomic():
        actions = list(
            Action.objects.filter(pk__in=action_ids, mandate__municipality_id=area.municipality_id).only("pk")
        )
        if len(actions) != len(set(action_ids)):
            raise ValidationError(_("Alcune azioni non sono di questo comune."), code="foreign")
        through = Action.areas.through
        current = set(
            through.objects.filter(area=area, action__in=actions).values_list("action_id", flat=True)
        )
        if remove:
            changed = [a.pk for a in actions if a.pk in current]
            through.objects.filter(area=area, action_id__in=changed).delete()
        else:
            changed = [a.pk for a in actions if a.pk not in current]
            through.objects.bulk_create([through(area=area, action_id=pk) for pk in changed])
        if changed:
            area.log_action("unassign" if remove else "assign", user=user, after={"actions": sorted(changed)})
    return len(changed)
