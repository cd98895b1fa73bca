from django.http import HttpRequest

from rfs.accounts.models import Role

# The navigation each role sees: (label, url name).
NAVIGATION = {
    Role.STAFF: [
        ("Dashboard", "dashboard:index"),
        ("Candidates", "candidates:list"),
        ("Merge review", "candidates:merge_review"),
        ("Screening", "screening:calls"),
        ("Mentors", "mentors:list"),
        ("Coverage", "mentors:coverage"),
        ("Requests", "candidates:requests"),
        ("Outbox", "notify:list"),
    ],
    Role.SCREENER: [("Screening queue", "screening:queue"), ("My screening", "screening:mine")],
    Role.MENTOR: [("My mentees", "mentors:home"), ("My profile", "mentors:profile_edit")],
    Role.CANDIDATE: [("My page", "candidates:portal"), ("Ask for help", "candidates:portal_ask")],
}


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": NAVIGATION.get(user.role, [])}
