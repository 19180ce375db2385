"""Patients for bench/dialog.py, onboarded in bulk through the services the chat would call:
an invite made and redeemed, Swedish chosen, consent given, module 1 opened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

from bench.dialog_load import FIRST_USER
from bot.app import build_infrastructure
from bot.config import Settings
from bot.db import migrate
from bot.domain.navigation import Location, Screen
from bot.services import patients, program
from tests.emulator import Emulator

STAFF_CHAT = -1009990001
COORDINATOR = {"id": 9990001, "is_bot": False, "first_name": "Coordinator", "language_code": "sv"}


async def onboard(emulator: Emulator, workdir: Path, count: int) -> dict[str, str]:
    """The environment the real bot runs with, its patients in its database."""
    env = {
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DATA_KEY": Fernet.generate_key().decode(),
        "DATA_DIR": str(workdir),
        "STAFF_CHAT_ID": str(STAFF_CHAT),
        "POLLING_TIMEOUT": "10",
    }
    emulator.add_group(STAFF_CHAT, "Rehab bench", [COORDINATOR])
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=env["DATABASE_URL"],
        data_key=env["DATA_KEY"],
        data_dir=workdir,
    )
    infra = build_infrastructure(settings)
    await migrate.upgrade(infra.engine)
    now = datetime.now(UTC)
    version = infra.context.catalog.texts.participation_consent.version
    async with infra.session_factory() as session:
        for n in range(count):
            invite = await patients.create_invite(
                session, patients.InviteDetails(), now=now, ttl=timedelta(days=1)
            )
            patient = await patients.redeem_invite(
                session, code=invite.code, telegram_user_id=FIRST_USER + n,
                chat_id=FIRST_USER + n, now=now,
            )  # fmt: skip
            assert not isinstance(patient, patients.InviteProblem)
            await patients.record_consent(
                session, patient, accepted=True, version=version, now=now
            )
            program.move(patient, Location(screen=Screen.HOME))
            await program.activate_module(session, infra.context.catalog, patient, 1, now)
        await session.commit()
    await infra.engine.dispose()
    return env
