from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "candidates"

    def ready(self) -> None:
        from rfs.accounts import places
        from rfs.accounts.models import Role

        places.register(Role.STAFF, "Candidates", "candidates:list", order=20)
        places.register(Role.STAFF, "Merge review", "candidates:merge_review", order=30)
        places.register(Role.STAFF, "Leads", "candidates:lead_sources", order=35)
        places.register(Role.STAFF, "Requests", "candidates:requests", order=70)
