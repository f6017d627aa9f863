"""Reads of the BGYS policies: a policy's audience, the published policies a person must
acknowledge, and the compliance of a published version per unit."""

from django.db.models import Q

from biys.org.choices import PersonStatus
from biys.org.models import Person


def audience(policy):
    """The members of staff a policy is for: the people of its audience units (with their
    sub-units) and those whose login holds one of its audience roles; with neither, all staff.
    Those who have left are not asked."""
    people = Person.objects.exclude(status=PersonStatus.LEFT)
    paths = [path for path in policy.audience_units.values_list("path", flat=True)]
    roles = list(policy.audience_roles.values_list("pk", flat=True))
    if not paths and not roles:
        return people
    wanted = Q(pk__in=[])
    for path in paths:
        wanted |= Q(unit__path__startswith=path)
    if roles:
        wanted |= Q(
            pk__in=Person.objects.filter(user__role_assignments__role__in=roles).values("pk")
        )
    return people.filter(wanted)
