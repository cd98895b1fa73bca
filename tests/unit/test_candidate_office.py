from candidates.models import Candidate, OfficeLevel


def test_office_summary_joins_what_is_known():
    candidate = Candidate(office_level=OfficeLevel.CITY_COUNCIL, office="", district="Ward 4")
    assert candidate.office_summary == "City or town council · Ward 4"
    candidate.office = "Council member"
    assert candidate.office_summary == "City or town council · Council member · Ward 4"
