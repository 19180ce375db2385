"""What runs on a clock, in one place.

APScheduler drives two ticks every half minute:
- the timekeeper's (bot/timekeeper.py): plans what is newly due (today's digest, nudges) and
  runs the due jobs, each by its kind (bot/domain/job_kinds.py), through one table in
  `Timekeeper.for_patient`: contact reminders (when: bot/domain/timing.py, scheduled by
  bot/services/contacts.py), nudges and pause reminders, the maintenance countdown, consent
  renewal and lapse, and the morning digest;
- the Courier's (bot/delivery.py): messages stored but never queued, the escalation of
  unacknowledged alerts, and the coordinators' refresh from each staff chat.
What is due lives in the database (`job`, `outbox`), so a restart loses nothing; a tick that
is still running when the next is due is not started twice.
"""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import Courier
from bot.timekeeper import Timekeeper

TICK_SECONDS = 30


def create_scheduler(courier: Courier, timekeeper: Timekeeper) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    for tick in (timekeeper.tick, courier.tick):
        scheduler.add_job(tick, "interval", seconds=TICK_SECONDS, max_instances=1, coalesce=True)
    return scheduler
