"""A known set of cases in two units, moved through the program by the services as the
dialogs move them, on a real SQLite database: for the tests of the unit's records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from bot.app import Infrastructure, build_infrastructure
from bot.config import Settings
from bot.db import migrate
from bot.db.models import CareUnit, FormResponse, Patient, PatientStatus, Sex
from bot.domain.caselog import DeclineReason
from bot.domain.contact_notes import ContactEntry, ContactKind, Party
from bot.domain.plan import parse_change
from bot.services import caselog, contact_notes, ending, patients, plans, program, staff

STAFF_CHAT = -1001000000001
OTHER_CHAT = -1002000000002
KEY = Fernet.generate_key().decode()


@dataclass
class Clock:
    now: datetime = datetime(2026, 9, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def on(self, day: str) -> None:
        self.now = datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)


@pytest.fixture
async def infra(tmp_path: Path) -> AsyncIterator[tuple[Infrastructure, Clock]]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        data_key=KEY,
        data_dir=tmp_path,
        staff_chat_id=STAFF_CHAT,
    )
    clock = Clock()
    built = build_infrastructure(settings, clock=clock)
    await migrate.upgrade(built.engine)
    yield built, clock
    await built.engine.dispose()


class Unit:
    """Cases of one unit, moved through the program as the dialogs move them."""

    def __init__(self, infra: Infrastructure, clock: Clock, unit: CareUnit) -> None:
        self.infra, self.clock, self.unit = infra, clock, unit

    async def offer(self, code: str, sex: Sex, band: str | None, day: str) -> None:
        self.clock.on(day)
        async with self.infra.session_factory() as session:
            details = patients.InviteDetails(
                pseudonym=code, sex=sex, age_band=band, unit_id=self.unit.key
            )
            await patients.create_invite(
                session, details, now=self.clock(), ttl=timedelta(days=14)
            )
            await session.commit()

    async def _change(self, code: str, day: str, change: Any) -> None:
        self.clock.on(day)
        async with self.infra.session_factory() as session:
            patient = await patients.find_by_pseudonym(session, code)
            assert patient is not None
            await change(session, patient)
            await session.commit()

    async def accept(self, code: str, day: str) -> None:
        async def accepted(session: Any, patient: Patient) -> None:
            patient.status, patient.joined_at = PatientStatus.ACTIVE, self.clock()
            await caselog.decided(session, patient, accepted=True, today=self.clock().date())

        await self._change(code, day, accepted)

    async def decline(self, code: str, day: str, reason: DeclineReason, comment: str) -> None:
        async def declined(session: Any, patient: Patient) -> None:
            patient.status = PatientStatus.DECLINED
            today = self.clock().date()
            await caselog.decided(session, patient, accepted=False, today=today)
            await caselog.decline_reason(
                session, self.infra.context.vault, patient, reason, comment, today
            )

        await self._change(code, day, declined)

    async def contact(self, code: str, day: str, kind: ContactKind, minutes: int,
                      *parties: Party) -> None:  # fmt: skip
        async def noted(session: Any, patient: Patient) -> None:
            entry = ContactEntry(kind, minutes, (Party.PATIENT, *parties))
            contact_notes.add(session, self.infra.context.vault, patient, 1, entry, self.clock())

        await self._change(code, day, noted)

    async def measure(self, code: str, day: str, form_id: str, score: float,
                      band: str | None = None) -> None:  # fmt: skip
        """A scored form sent (as services/forms.submit stores it)."""

        async def sent(session: Any, patient: Patient) -> None:
            session.add(
                FormResponse(
                    patient_id=patient.key, module=1, form_id=form_id, wording="project",
                    content_version="1", submitted_at=self.clock(),
                    payload=self.infra.context.vault.seal(
                        {"answers": {}, "score": {"score": score, "category": band}}
                    ),
                )
            )  # fmt: skip

        await self._change(code, day, sent)

    async def finish(self, code: str, day: str, *modules: int) -> None:
        async def finished(session: Any, patient: Patient) -> None:
            for module in modules:
                catalog = self.infra.context.catalog
                await program.activate_module(session, catalog, patient, module, self.clock())
                await program.finish_module(session, patient, module, self.clock())

        await self._change(code, day, finished)

    async def contact_days(self, code: str, kept: int, missed: int) -> None:
        async def checked(session: Any, patient: Patient) -> None:
            for was_kept in [True] * kept + [False] * missed:
                await caselog.contact_checked(session, patient, kept=was_kept)

        await self._change(code, self.clock().date().isoformat(), checked)

    async def plan(self, code: str, day: str, line: str) -> None:
        async def changed(session: Any, patient: Patient) -> None:
            made = parse_change(line, self.clock().date())
            await plans.change(session, self.infra.context, patient, 1, made)

        await self._change(code, day, changed)

    async def end(self, code: str, day: str, ended_by: str = "program") -> None:
        async def ended(session: Any, patient: Patient) -> None:
            await ending.end_program(session, self.infra.context, patient, ended_by)

        await self._change(code, day, ended)


async def known_set(infra: Infrastructure, clock: Clock) -> None:
    """Unit A: finished (back at work before the end, WHO-5 40 → 64, WAI poor → good),
    ongoing (WHO-5 52 → 44), declined, never opened, deleted at the patient's request (one
    WHO-5 only); unit B: one ongoing case (WHO-5 60 → 80) that A must never count."""
    async with infra.session_factory() as session:
        unit_a = await staff.default_unit(session, infra.context.settings)
        unit_b = await staff.add_unit(session, name="Nybro", staff_chat_id=OTHER_CHAT)
        await session.commit()
    assert unit_a is not None
    a, b = Unit(infra, clock, unit_a), Unit(infra, clock, unit_b)
    await a.offer("A-FIN", Sex.FEMALE, "40-49", "2026-09-10")
    await a.accept("A-FIN", "2026-09-10")
    await a.contact("A-FIN", "2026-09-17", ContactKind.COACHING, 90)
    await a.contact("A-FIN", "2026-10-01", ContactKind.COORDINATION, 60, Party.EMPLOYER)
    await a.measure("A-FIN", "2026-09-10", "wellbeing", 40)
    await a.measure("A-FIN", "2026-09-10", "wai", 25, "poor")
    await a.finish("A-FIN", "2026-10-01", 1, 2)
    await a.contact_days("A-FIN", kept=3, missed=1)
    await a.plan("A-FIN", "2026-10-27", "åter 2026-10-26")  # 46 days after the start
    await a.measure("A-FIN", "2026-11-01", "wellbeing", 64)
    await a.measure("A-FIN", "2026-11-01", "wai", 38, "good")
    await a.end("A-FIN", "2026-11-05")  # 8 weeks
    await a.offer("A-RUN", Sex.MALE, "30-39", "2026-10-02")
    await a.accept("A-RUN", "2026-10-03")
    await a.contact("A-RUN", "2026-10-10", ContactKind.COACHING, 30, Party.FK, Party.SOCIAL)
    await a.measure("A-RUN", "2026-10-03", "wellbeing", 52)
    await a.measure("A-RUN", "2026-10-03", "wai", 32, "moderate")
    await a.finish("A-RUN", "2026-10-20", 1)
    await a.contact_days("A-RUN", kept=1, missed=0)
    await a.measure("A-RUN", "2026-11-20", "wellbeing", 44)
    await a.offer("A-NO", Sex.FEMALE, "50-59", "2026-10-20")
    await a.decline("A-NO", "2026-10-21", DeclineReason.NO_ENERGY, "Vill vänta till januari")
    await a.offer("A-NEW", Sex.MALE, None, "2026-11-03")  # the invite never opened
    await a.offer("A-DEL", Sex.FEMALE, "40-49", "2026-11-10")
    await a.accept("A-DEL", "2026-11-10")
    await a.measure("A-DEL", "2026-11-10", "wellbeing", 28)
    await a.contact_days("A-DEL", kept=0, missed=1)
    await a.end("A-DEL", "2026-11-24", ended_by="erasure")  # 2 weeks
    await b.offer("B-RUN", Sex.FEMALE, "40-49", "2026-11-05")
    await b.accept("B-RUN", "2026-11-06")
    await b.measure("B-RUN", "2026-11-06", "wellbeing", 60)
    await b.measure("B-RUN", "2026-11-27", "wellbeing", 80)
    clock.on("2026-11-30")
