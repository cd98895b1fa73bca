"""Who may open the screening pages, and the candidate a user may work on."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from candidates.models import Candidate
from rfs.accounts.roles import role_required
from screening.services.guards import WORKER_ROLES

worker_required = role_required(*WORKER_ROLES)


def load_candidate(request: HttpRequest, uuid) -> Candidate:
    """A candidate the user may work on: staff any, a screener only the ones they hold."""
    return get_object_or_404(Candidate.objects.visible_to(request.user), uuid=uuid)
