"""Query vocabulary other apps use (lists sorted by supports, the API's and exports' counts)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from openmandato.participation.models import Support


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
