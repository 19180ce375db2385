"""What every step of the patient's way has: the request, and a Notice for the dialog to word."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import ModuleStatus, Patient
from bot.domain.answers import AnswerError
from bot.domain.navigation import Location
from bot.services import program


class NoticeKind(StrEnum):
    PROBLEM = "problem"  # an answer that was not taken; details["problem"] says why
    LOCKED = "locked"
    SUBMITTED = "submitted"
    SAVED = "saved"
    NOT_IN_FORM = "not_in_form"
    MOVED_ON = "moved_on"
    REMINDER_SET = "reminder_set"  # details["at"]: when
    NUDGES = "nudges"  # details["on"]: whether reminders are on now
    WITHDRAWN = "withdrawn"  # the consent to share, withdrawn


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    details: dict[str, Any] = field(default_factory=dict)


def problem_notice(error: AnswerError) -> Notice:
    return Notice(NoticeKind.PROBLEM, {"problem": error.problem, **error.details})


@dataclass
class JourneyBase:
    """One patient's request, with what it needs to act on it."""

    ctx: AppContext
    session: AsyncSession
    patient: Patient

    @property
    def here(self) -> Location:
        return program.location(self.patient)

    def go(self, to: Location) -> None:
        program.move(self.patient, to)

    async def _open_modules(self) -> dict[int, ModuleStatus]:
        progress = await program.module_progress(self.session, self.patient.key)
        return {n: ModuleStatus(p.status) for n, p in progress.items()}
