"""US states, DC and territories: their codes, names, main time zone and tile-grid square.

The tile grid places one square per state roughly where it lies on a map
(row, column), so a map can be drawn without geodata.
"""

from typing import NamedTuple


class State(NamedTuple):
    code: str
    name: str
    time_zone: str
    row: int
    col: int
    territory: bool = False


STATES: list[State] = [
    State("AK", "Alaska", "America/Anchorage", 0, 0),
    State("ME", "Maine", "America/New_York", 0, 11),
    State("WI", "Wisconsin", "America/Chicago", 1, 6),
    State("VT", "Vermont", "America/New_York", 1, 10),
    State("NH", "New Hampshire", "America/New_York", 1, 11),
    State("WA", "Washington", "America/Los_Angeles", 2, 1),
    State("ID", "Idaho", "America/Boise", 2, 2),
    State("MT", "Montana", "America/Denver", 2, 3),
    State("ND", "North Dakota", "America/Chicago", 2, 4),
    State("MN", "Minnesota", "America/Chicago", 2, 5),
    State("IL", "Illinois", "America/Chicago", 2, 6),
    State("MI", "Michigan", "America/Detroit", 2, 7),
    State("NY", "New York", "America/New_York", 2, 9),
    State("MA", "Massachusetts", "America/New_York", 2, 10),
    State("OR", "Oregon", "America/Los_Angeles", 3, 1),
    State("NV", "Nevada", "America/Los_Angeles", 3, 2),
    State("WY", "Wyoming", "America/Denver", 3, 3),
    State("SD", "South Dakota", "America/Chicago", 3, 4),
    State("IA", "Iowa", "America/Chicago", 3, 5),
    State("IN", "Indiana", "America/Indiana/Indianapolis", 3, 6),
    State("OH", "Ohio", "America/New_York", 3, 7),
    State("PA", "Pennsylvania", "America/New_York", 3, 8),
    State("NJ", "New Jersey", "America/New_York", 3, 9),
    State("CT", "Connecticut", "America/New_York", 3, 10),
    State("RI", "Rhode Island", "America/New_York", 3, 11),
    State("CA", "California", "America/Los_Angeles", 4, 1),
    State("UT", "Utah", "America/Denver", 4, 2),
    State("CO", "Colorado", "America/Denver", 4, 3),
    State("NE", "Nebraska", "America/Chicago", 4, 4),
    State("MO", "Missouri", "America/Chicago", 4, 5),
    State("KY", "Kentucky", "America/New_York", 4, 6),
    State("WV", "West Virginia", "America/New_York", 4, 7),
    State("VA", "Virginia", "America/New_York", 4, 8),
    State("MD", "Maryland", "America/New_York", 4, 9),
    State("DE", "Delaware", "America/New_York", 4, 10),
    State("AZ", "Arizona", "America/Phoenix", 5, 2),
    State("NM", "New Mexico", "America/Denver", 5, 3),
    State("KS", "Kansas", "America/Chicago", 5, 4),
    State("AR", "Arkansas", "America/Chicago", 5, 5),
    State("TN", "Tennessee", "America/Chicago", 5, 6),
    State("NC", "North Carolina", "America/New_York", 5, 7),
    State("SC", "South Carolina", "America/New_York", 5, 8),
    State("DC", "District of Columbia", "America/New_York", 5, 9),
    State("OK", "Oklahoma", "America/Chicago", 6, 4),
    State("LA", "Louisiana", "America/Chicago", 6, 5),
    State("MS", "Mississippi", "America/Chicago", 6, 6),
    State("AL", "Alabama", "America/Chicago", 6, 7),
    State("GA", "Georgia", "America/New_York", 6, 8),
    State("HI", "Hawaii", "Pacific/Honolulu", 7, 0),
    State("TX", "Texas", "America/Chicago", 7, 4),
    State("FL", "Florida", "America/New_York", 7, 9),
    State("GU", "Guam", "Pacific/Guam", 8, 0, territory=True),
    State("MP", "Northern Mariana Islands", "Pacific/Saipan", 8, 1, territory=True),
    State("AS", "American Samoa", "Pacific/Pago_Pago", 8, 2, territory=True),
    State("PR", "Puerto Rico", "America/Puerto_Rico", 8, 10, territory=True),
    State("VI", "U.S. Virgin Islands", "America/St_Thomas", 8, 11, territory=True),
]

BY_CODE: dict[str, State] = {state.code: state for state in STATES}
STATE_CHOICES: list[tuple[str, str]] = sorted(
    ((s.code, s.name) for s in STATES), key=lambda choice: choice[1]
)
# The 50 states and DC: where the organisation wants a lead operative.
COVERAGE_CODES: list[str] = [s.code for s in STATES if not s.territory]


def time_zone_for(code: str, default: str = "America/New_York") -> str:
    state = BY_CODE.get(code)
    return state.time_zone if state else default
