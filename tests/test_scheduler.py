"""The scheduler's table: every kind of job has exactly one service function that runs it,
and the two ticks run every half minute."""

from __future__ import annotations

from typing import Any, cast

from bot.domain.job_kinds import JobKind
from bot.scheduler import FOR_PATIENT, FOR_UNIT, TICK_SECONDS, Clockwork, create_scheduler


def test_every_kind_of_job_has_a_runner() -> None:
    assert set(FOR_PATIENT) | set(FOR_UNIT) == set(JobKind), "a kind nobody runs"
    assert not set(FOR_PATIENT) & set(FOR_UNIT), "a unit's job is run apart: no patient"


def test_the_two_ticks_run_every_half_minute() -> None:
    nothing = cast(Any, None)  # the schedule is built without touching its collaborators
    scheduler = create_scheduler(Clockwork(nothing, nothing, nothing, nothing))
    jobs = scheduler.get_jobs()
    assert len(jobs) == 2
    assert all(job.trigger.interval.total_seconds() == TICK_SECONDS for job in jobs)
