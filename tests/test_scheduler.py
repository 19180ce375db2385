"""The scheduler's table: every kind of job has exactly one thing that runs it, and the two
ticks run every half minute."""

from __future__ import annotations

from typing import Any, cast

from bot.domain.job_kinds import JobKind
from bot.scheduler import TICK_SECONDS, create_scheduler
from bot.timekeeper import Timekeeper


def timekeeper() -> Timekeeper:
    nothing = cast(Any, None)  # the table is built without touching its collaborators
    return Timekeeper(nothing, nothing, nothing, nothing, nothing)


def test_every_kind_of_job_has_a_runner() -> None:
    table = timekeeper().for_patient
    assert set(table) | {JobKind.DIGEST} == set(JobKind), "a kind nobody runs"
    assert JobKind.DIGEST not in table  # the unit's digest is run apart: it has no patient


def test_the_two_ticks_run_every_half_minute() -> None:
    class Courier:
        async def tick(self) -> None: ...

    scheduler = create_scheduler(cast(Any, Courier()), timekeeper())
    jobs = scheduler.get_jobs()
    assert len(jobs) == 2
    assert all(job.trigger.interval.total_seconds() == TICK_SECONDS for job in jobs)
