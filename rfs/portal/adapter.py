"""The site's account adapter: account emails (the portal's login codes) to a candidate are
written in the candidate's own language, whatever page they asked from."""

from candidates.details import normalise_email
from candidates.models import Candidate
from rfs.accounts.adapter import AccountAdapter


class SiteAccountAdapter(AccountAdapter):
    def email_language(self, email: str) -> str:
        stored = (
            Candidate.objects.filter(email=normalise_email(email))
            .values_list("language", flat=True)
            .first()
        )
        return stored or super().email_language(email)
