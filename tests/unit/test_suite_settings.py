"""The suite runs on its own settings whatever the environment names."""

from django.conf import settings


def test_the_suite_runs_on_the_test_settings():
    # `make test` starts pytest from rfs.devstack, whose import of the rfs package (its
    # Celery app) puts DJANGO_SETTINGS_MODULE=rfs.settings in the environment.
    assert settings.SETTINGS_MODULE == "rfs.settings_test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
