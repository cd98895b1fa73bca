"""Use-cases of the partners app, by subject:

- directory:  partner organisations, their contacts and logins, resources, response windows
- matching:   partners suggested for a candidate, with the reasons
- referrals:  consent, referrals and every move of one, the partner's answer as a request
- intake:     a partner referring a candidate to us (a submission under the trust rule)
- figures:    per partner and period, who they sent us and how our referrals went
"""
