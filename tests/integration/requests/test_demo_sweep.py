from io import StringIO

from django.core.management import call_command

from candidates.services.help_requests import sweep_requests


def test_a_fresh_demo_does_not_start_with_a_pile_of_escalations(db):
    call_command("seed_demo", stdout=StringIO())
    # The demo's past is as the sweep would have left it: nothing is late news.
    assert sweep_requests()["escalated"] == 0
