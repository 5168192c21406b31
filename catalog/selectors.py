from django.db.models import QuerySet

from catalog.models import Requirement


def hs_twins(requirement: Requirement) -> QuerySet[Requirement]:
    """Requirements of other standards (and editions) that sit on the same harmonized clause."""
    if requirement.hs_clause_id is None:
        return Requirement.objects.none()
    return (
        Requirement.objects.filter(hs_clause_id=requirement.hs_clause_id)
        .exclude(pk=requirement.pk)
        .select_related("edition__standard")
        .order_by("edition__standard__order", "edition__year", "order")
    )
