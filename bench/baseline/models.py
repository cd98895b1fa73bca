from django.db import models


class Signup(models.Model):
    """One row per signup: the least a signup can store."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email
