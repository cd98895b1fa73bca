from django.http import HttpRequest


def login_identifier(request: HttpRequest, credentials: dict | None) -> str:
    """The address a login attempt was for, from allauth's form or the admin's, case folded."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return str(value).strip().lower()
