"""Replaying the demo's past through the services, in time order.

A story is a generator that yields the moment of its next step, then takes that step by
calling services (a signup, a claim, a call, an answer). `replay` runs many stories side by
side in time order, each step with the clock moved to its moment: the services' own "now",
their `at` defaults and every created_at agree, and a sweep that runs at a moment sees the
organisation exactly as it was then.
"""

import heapq
from collections.abc import Iterable, Iterator
from datetime import datetime

Story = Iterator[datetime]


def replay(stories: Iterable[Story], *, until: datetime) -> int:
    """Run `stories` in time order, each step at its moment; a story's steps after `until`
    never happen. A story starts by yielding the moment of its first step. Returns the number
    of steps taken."""
    # Imported here: time-machine is a development dependency, and the production image,
    # where seed_demo refuses to run, does not install it.
    import time_machine

    queue: list[tuple[datetime, int, Story]] = []
    for order, story in enumerate(stories):
        _push(queue, order, story, until=until, after=None)
    steps = 0
    while queue:
        at, order, story = heapq.heappop(queue)
        with time_machine.travel(at, tick=False):
            _push(queue, order, story, until=until, after=at)
        steps += 1
    return steps


def _push(
    queue: list, order: int, story: Story, *, until: datetime, after: datetime | None
) -> None:
    """Take the story's step up to its next moment, and queue it for that moment."""
    try:
        at = next(story)
    except StopIteration:
        return
    if after is not None and at < after:
        raise ValueError(f"a demo story went back in time, from {after} to {at}")
    if at <= until:
        # The order the stories were given in breaks ties, so every run is the same.
        heapq.heappush(queue, (at, order, story))
    else:
        story.close()
