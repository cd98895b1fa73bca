"""What the candidate portal shows: where the candidate stands, and who is helping them.

The portal is a site page: it joins the candidate's record, their screener, their mentor
and their requests, which no single domain app may do.
"""

from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, Stage
from candidates.services.self_service import link_confirmed_login
from mentors.services import current_mentorship
from rfs.accounts.models import Role

# Each stage in plain words: where the candidate is, and what happens next.
STAGE_WORDS: dict[str, tuple[str, str]] = {
    Stage.SIGNED_UP: (
        _("We have your signup."),
        _("A volunteer will get in touch soon to set up a short call about your plans."),
    ),
    Stage.SCREENING: (
        _("A volunteer is getting to know you."),
        _("Your volunteer will call you to talk through your plans and the help you need."),
    ),
    Stage.SCREENED: (
        _("You have talked with one of our volunteers."),
        _("We are finding the right mentor and resources for your race."),
    ),
    Stage.ACTIVE: (
        _("You are building your campaign with our support."),
        _(
            "Your mentor and our staff help you plan, raise money and reach voters. Ask us "
            "whenever you need something."
        ),
    ),
    Stage.ON_BALLOT: (
        _("You are on the ballot."),
        _("Keep asking for help as election day comes closer."),
    ),
    Stage.ENDORSED: (
        _("We have endorsed you."),
        _("Our team helps you make the most of the endorsement through election day."),
    ),
    Stage.WON: (_("You won your election. Congratulations!"), _("We are proud of you.")),
    Stage.LOST: (
        _("Your election is over."),
        _("Many people win on their second try. Ask us whenever you are ready to run again."),
    ),
    Stage.NOT_A_FIT: (
        _("We are not the right help for you at the moment."),
        _("If your plans change, ask us a question and we will take another look."),
    ),
    Stage.UNRESPONSIVE: (
        _("We could not reach you."),
        _("Ask us a question and a volunteer will get back in touch."),
    ),
    Stage.WITHDRAWN: (
        _("You have stepped back from running."),
        _("Whenever you want to pick it up again, ask us a question."),
    ),
}


def candidate_for(user) -> Candidate | None:
    """The portal user's own candidate record, if any: on their first visit after entering a
    login code, the record with the address they confirmed. Only their own, though their
    other roles (staff, a screener's claims) may see more."""
    own = Candidate.objects.visible_to(user).filter(user=user).select_related("owner")
    candidate = own.first()
    if candidate is None and link_confirmed_login(user=user):
        candidate = own.first()
    return candidate


def mentor_login(candidate: Candidate):
    """The active login of the candidate's current mentor, to route their questions to; None
    when they have no mentor (the question goes to the staff pool)."""
    mentorship = current_mentorship(candidate)
    if mentorship is None or mentorship.mentor.user is None:
        return None
    return mentorship.mentor.user if mentorship.mentor.user.is_active else None


def current_helpers(candidate: Candidate) -> list[tuple[str, str]]:
    """Who is helping the candidate now: (role, name) pairs."""
    helpers = []
    if candidate.owner_id is not None:
        role = (
            _("Our staff") if candidate.owner.has_role(Role.STAFF) else _("Your volunteer screener")
        )
        helpers.append((role, candidate.owner.name or _("A volunteer")))
    if (mentorship := current_mentorship(candidate)) is not None:
        helpers.append((_("Your mentor"), mentorship.mentor.name))
    return helpers
