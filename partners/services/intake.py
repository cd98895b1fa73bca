"""A partner refers a candidate to us: a submission with the partner as its source.

It goes through candidates' one intake function under the trust rule, like any form: a
person we know is never changed by it (their differences wait for them to confirm), and the
partner sees the same answer whether or not we knew them.
"""

from candidates.models import Source, Submission
from candidates.services.intake import Incoming, resolve_submissions
from partners.models import Partner


def refer_to_us(*, partner: Partner, by, data: dict) -> Submission:
    """Keep and resolve a candidate a partner's login sent us, attributed to the partner.
    `data` is the partner form's cleaned candidate fields; the partner vouches for the
    person's consent to be contacted (the form asks)."""
    answers = {
        **data,
        "source": Source.PARTNER,
        "source_detail": partner.name[:200],
        "heard_from": partner.team,
        "consent": True,
    }
    payload = {key: _plain(value) for key, value in answers.items()}
    payload["sent_by"] = by.email
    incoming = Incoming(data=answers, channel=Submission.Channel.WEBHOOK, payload=payload, by=by)
    return resolve_submissions([incoming])[0]


def _plain(value):
    # The payload is JSON: keep what was typed as text.
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return "" if value is None else str(value)
