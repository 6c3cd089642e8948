"""LanePlan on its own, with a fake clock: down to what the server accepted, then probing up
by time or by messages, backing off after a refused probe and resetting after an accepted one."""

from __future__ import annotations

from app.core.send.clock import FakeClock
from app.core.send.contracts import Reply, SmtpError, Stage
from app.core.send.events import LanesChanged
from app.core.send.lanes import LanePlan
from app.core.send.policy import EngineOptions

REFUSED = SmtpError(Reply(421, "4.7.0 Error: too many connections", Stage.CONNECT))


def _plan(clock: FakeClock, events: list, wakes: list) -> LanePlan:
    options = EngineOptions(connections=5, lane_probe_seconds=120, lane_probe_messages=50)
    return LanePlan(options, clock, events.append, lambda: wakes.append(1))


def test_a_refusal_lowers_to_what_was_accepted_and_a_probe_follows_after_two_minutes():
    clock, events, wakes = FakeClock(), [], []
    plan = _plan(clock, events, wakes)

    plan.lower(2, REFUSED)
    assert plan.limit == 2 and plan.seconds_to_probe() == 120
    [change] = events
    assert isinstance(change, LanesChanged) and (change.lanes, change.code) == (2, 421)

    clock.advance(119)
    plan.probe_if_due()
    assert plan.limit == 2 and not wakes
    clock.advance(1)
    plan.probe_if_due()
    assert plan.limit == 3 and events[-1].probing and wakes == [1]
    assert plan.seconds_to_probe() is None  # one probe at a time


def test_a_refused_probe_steps_back_and_doubles_the_wait_an_accepted_one_resets_it():
    clock, events, wakes = FakeClock(), [], []
    plan = _plan(clock, events, wakes)
    plan.lower(2, REFUSED)
    for _ in range(50):
        plan.carried()
    assert plan.limit == 3  # 50 messages count as much as two minutes

    plan.lower(2, REFUSED)  # the probe's connection was refused too
    assert plan.limit == 2 and plan.seconds_to_probe() == 240
    for _ in range(99):
        plan.carried()
    assert plan.limit == 2  # now it takes 100 messages
    plan.carried()
    assert plan.limit == 3

    plan.accepted(3)  # this time the server took it
    assert plan.limit == 3 and plan.seconds_to_probe() == 120


def test_a_connection_that_opened_while_the_limit_came_down_raises_it_again():
    clock, events, wakes = FakeClock(), [], []
    plan = _plan(clock, events, wakes)
    plan.lower(1, REFUSED)
    plan.accepted(2)
    assert plan.limit == 2 and events[-1].lanes == 2 and events[-1].code is None


def test_nothing_is_probed_at_the_configured_count():
    clock, events, wakes = FakeClock(), [], []
    plan = _plan(clock, events, wakes)
    clock.advance(10_000)
    for _ in range(500):
        plan.carried()
    assert plan.limit == 5 and events == [] and plan.seconds_to_probe() is None
