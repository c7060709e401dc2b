"""Query vocabulary other apps use (lists sorted by supports, the API's and exports' counts) and the
back-office's list of a comune's participants."""

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, Trim
from django.utils.translation import gettext

from openmandato.participation.models import Comment, Contest, Proposal, ProposalSupport, Support
from openmandato.spid.models import VerifiedResident


def support_count_subquery():
    """The number of supports of the action in the outer query (indexed by support_once)."""
    counts = (
        Support.objects.filter(action=OuterRef("pk"))
        .order_by()
        .values("action")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def participants(municipality):
    """The people who took part in this comune (comments, proposals, contests, supports) or are its
    verified residents, as active accounts annotated with `public_name`: the name their contributions
    show (participation.display.display_name), and nothing else a search could match."""
    took_part = (
        Q(pk__in=Comment.objects.filter(municipality=municipality).values("author"))
        | Q(pk__in=Proposal.objects.filter(municipality=municipality).values("author"))
        | Q(pk__in=Contest.objects.filter(municipality=municipality).values("author"))
        | Q(pk__in=Support.objects.filter(action__mandate__municipality=municipality).values("user"))
        | Q(pk__in=ProposalSupport.objects.filter(proposal__municipality=municipality).values("user"))
        | Q(pk__in=VerifiedResident.objects.filter(municipality=municipality).values("user"))
    )
    full_name = Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField()))
    return (
        get_user_model()
        .objects.filter(took_part, is_active=True)
        .exclude(citizen_profile__deleted_at__isnull=False)
        .select_related("citizen_profile")
        .annotate(
            full_name=full_name,
            public_name=Case(
                When(citizen_profile__display_name__gt="", then=F("citizen_profile__display_name")),
                When(full_name__gt="", then=F("full_name")),
                When(Q(is_staff=True) & ~Q(username__contains="@"), then=F("username")),
                default=Value(gettext("Cittadino")),
                output_field=CharField(),
            ),
        )
    )
