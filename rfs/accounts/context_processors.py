from django.http import HttpRequest

from rfs.accounts.models import Role

# The navigation each role sees: (label, url name).
NAVIGATION = {
    Role.STAFF: [
        ("Dashboard", "dashboard:index"),
        ("Outbox", "notify:list"),
    ],
    Role.SCREENER: [("Screening queue", "screening:queue")],
    Role.MENTOR: [("My mentees", "mentors:home")],
    Role.CANDIDATE: [("My page", "candidates:portal")],
}


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": NAVIGATION.get(user.role, [])}
