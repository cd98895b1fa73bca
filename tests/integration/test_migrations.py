from django.core.management import call_command


def test_models_and_migrations_agree(db):
    # Exits with an error if a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
