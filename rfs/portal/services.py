"""What the candidate portal shows: where the candidate stands, and who is helping them.

The portal is a site page: it joins the candidate's record, their screener, their mentor
and their requests, which no single domain app may do.
"""

from candidates.models import Candidate, Stage
from candidates.services.self_service import link_confirmed_login
from mentors.services import current_mentorship
from rfs.accounts.models import Role

# Each stage in plain words: where the candidate is, and what happens next.
STAGE_WORDS: dict[str, tuple[str, str]] = {
    Stage.SIGNED_UP: (
        "We have your signup.",
        "A volunteer will get in touch soon to set up a short call about your plans.",
    ),
    Stage.SCREENING: (
        "A volunteer is getting to know you.",
        "Your volunteer will call you to talk through your plans and the help you need.",
    ),
    Stage.SCREENED: (
        "You have talked with one of our volunteers.",
        "We are finding the right mentor and resources for your race.",
    ),
    Stage.ACTIVE: (
        "You are building your campaign with our support.",
        "Your mentor and our staff help you plan, raise money and reach voters. Ask us "
        "whenever you need something.",
    ),
    Stage.ON_BALLOT: (
        "You are on the ballot.",
        "Keep asking for help as election day comes closer.",
    ),
    Stage.ENDORSED: (
        "We have endorsed you.",
        "Our team helps you make the most of the endorsement through election day.",
    ),
    Stage.WON: ("You won your election. Congratulations!", "We are proud of you."),
    Stage.LOST: (
        "Your election is over.",
        "Many people win on their second try. Ask us whenever you are ready to run again.",
    ),
    Stage.NOT_A_FIT: (
        "We are not the right help for you at the moment.",
        "If your plans change, ask us a question and we will take another look.",
    ),
    Stage.UNRESPONSIVE: (
        "We could not reach you.",
        "Ask us a question and a volunteer will get back in touch.",
    ),
    Stage.WITHDRAWN: (
        "You have stepped back from running.",
        "Whenever you want to pick it up again, ask us a question.",
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
        role = "Our staff" if candidate.owner.has_role(Role.STAFF) else "Your volunteer screener"
        helpers.append((role, candidate.owner.name or "A volunteer"))
    if (mentorship := current_mentorship(candidate)) is not None:
        helpers.append(("Your mentor", mentorship.mentor.name))
    return helpers
