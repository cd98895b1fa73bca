from django.http import HttpRequest

from rfs.accounts import places


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": places.menu(*user.acting_roles)}
