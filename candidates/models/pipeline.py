"""The pipeline's stages and the choices a candidate's answers take."""

from django.db import models
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    # Known from a partner form that did not ask to contact them: counted, never emailed or
    # queued, until they accept staff's invitation.
    LEAD = "lead", "Lead"
    SIGNED_UP = "signed_up", "Signed up"
    SCREENING = "screening", "Screening"
    SCREENED = "screened", "Screened"
    ACTIVE = "active", "Active"
    ON_BALLOT = "on_ballot", "On the ballot"
    ENDORSED = "endorsed", "Endorsed"
    WON = "won", "Won"
    LOST = "lost", "Lost"
    NOT_A_FIT = "not_a_fit", "Not a fit"
    UNRESPONSIVE = "unresponsive", "Unresponsive"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The main line of the pipeline, in order; the funnel is drawn along it.
PIPELINE = [
    Stage.SIGNED_UP,
    Stage.SCREENING,
    Stage.SCREENED,
    Stage.ACTIVE,
    Stage.ON_BALLOT,
    Stage.ENDORSED,
    Stage.WON,
]
CLOSED_STAGES = {Stage.WON, Stage.LOST, Stage.NOT_A_FIT, Stage.UNRESPONSIVE, Stage.WITHDRAWN}
EXIT_STAGES = {Stage.NOT_A_FIT, Stage.UNRESPONSIVE, Stage.WITHDRAWN}

# The stages a person's races set: filing for an office, an endorsement, an election's
# result. The app that keeps the races moves people there (through move_stage); the staff
# stage menu never offers them.
CAMPAIGN_STAGES = {Stage.ON_BALLOT, Stage.ENDORSED, Stage.WON, Stage.LOST}

# Which moves the pipeline allows. Forward along the line, the exits from any
# open stage, a return to the queue from screening (a released claim, or a
# "not yet"), and a way back in for people who left and come back. A race does not
# end a person's path: an endorsement may come before the ballot (a committee and an
# announced opponent are enough for some), a race given up leaves them active, and
# after a result, won or lost, they may run again (for the same or a higher office).
ALLOWED_MOVES: dict[str, set[str]] = {
    Stage.LEAD: {Stage.SIGNED_UP} | EXIT_STAGES,
    Stage.SIGNED_UP: {Stage.SCREENING, Stage.SCREENED} | EXIT_STAGES,
    Stage.SCREENING: {Stage.SIGNED_UP, Stage.SCREENED} | EXIT_STAGES,
    Stage.SCREENED: {Stage.ACTIVE} | EXIT_STAGES,
    Stage.ACTIVE: {Stage.ON_BALLOT, Stage.ENDORSED} | EXIT_STAGES,
    Stage.ON_BALLOT: {Stage.ACTIVE, Stage.ENDORSED, Stage.WON, Stage.LOST} | EXIT_STAGES,
    Stage.ENDORSED: {Stage.ACTIVE, Stage.WON, Stage.LOST} | EXIT_STAGES,
    Stage.WON: {Stage.ACTIVE, Stage.ON_BALLOT, Stage.ENDORSED},
    Stage.LOST: {Stage.ACTIVE, Stage.ON_BALLOT, Stage.ENDORSED},
    Stage.NOT_A_FIT: {Stage.SIGNED_UP},
    Stage.UNRESPONSIVE: {Stage.SIGNED_UP, Stage.SCREENING},
    Stage.WITHDRAWN: {Stage.SIGNED_UP},
}

# Stages in the order staff read them (the pipeline, then its exits), as a sortable number.
STAGE_ORDER = [
    Stage.LEAD,
    *PIPELINE,
    Stage.LOST,
    Stage.NOT_A_FIT,
    Stage.UNRESPONSIVE,
    Stage.WITHDRAWN,
]
STAGE_RANK = Case(
    *[When(stage=stage, then=Value(rank)) for rank, stage in enumerate(STAGE_ORDER)],
    output_field=models.IntegerField(),
)


class OfficeLevel(models.TextChoices):
    SCHOOL_BOARD = "school_board", _("School board")
    CITY_COUNCIL = "city_council", _("City or town council")
    COUNTY = "county", _("County")
    JUDICIAL = "judicial", _("Judicial")
    STATE_LEGISLATURE = "state_legislature", _("State legislature")
    STATEWIDE = "statewide", _("Statewide")
    FEDERAL = "federal", _("Federal")
    OTHER = "other", _("Other")


class Need(models.TextChoices):
    CAMPAIGN_PLAN = "campaign_plan", _("Campaign plan")
    FUNDRAISING = "fundraising", _("Fundraising")
    TREASURER = "treasurer", _("Finding a treasurer and compliance")
    FIELD = "field", _("Field and volunteers")
    DIGITAL = "digital", _("Digital and press")
    POLICY = "policy", _("Policy")


class Source(models.TextChoices):
    PRESS = "press", _("Press")
    SOCIAL = "social", _("Social media")
    FRIEND = "friend", _("A friend")
    PARTNER = "partner", _("A partner organisation")
    SEARCH = "search", _("Web search")
    IMPORT = "import", _("Earlier signup list")
    OTHER = "other", _("Other")


class Party(models.TextChoices):
    DEMOCRAT = "democrat", _("Democratic")
    INDEPENDENT = "independent", _("Independent / unaffiliated")
    WORKING_FAMILIES = "working_families", _("Working Families")
    GREEN = "green", _("Green")
    OTHER = "other", _("Other")
    NONE = "none", _("Not registered")


class Lgbtq(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    DECLINE = "decline", _("Prefer not to say")
