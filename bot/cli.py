"""Coordinator tasks from the command line, until (and beside) the staff chat."""

from __future__ import annotations

import sys
from datetime import timedelta

from aiogram.exceptions import TelegramAPIError
from aiohttp import ClientError

from bot.app import build_infrastructure, create_bot
from bot.config import Settings
from bot.db import migrate
from bot.domain.navigation import ModuleRuleError
from bot.services import patients, program


async def _bot_username(settings: Settings) -> str | None:
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    if settings.bot_token is None:
        return None
    bot = create_bot(settings)
    try:
        me = await bot.get_me()
    except (TelegramAPIError, ClientError, OSError):
        return None
    finally:
        await bot.session.close()
    return me.username


async def invite(settings: Settings, *, language: str, pseudonym: str | None) -> int:
    infra = build_infrastructure(settings)
    await migrate.upgrade(infra.engine)
    async with infra.session_factory() as session:
        if pseudonym and await patients.find_by_pseudonym(session, pseudonym):
            print(f"a patient called {pseudonym} exists already", file=sys.stderr)
            return 1
        created = await patients.create_invite(
            session,
            language=language,
            now=infra.context.clock(),
            ttl=timedelta(days=settings.invite_ttl_days),
            pseudonym=pseudonym,
        )
        await session.commit()
    await infra.engine.dispose()
    username = await _bot_username(settings)
    print(f"patient: {created.patient.pseudonym}")
    print(f"valid for {settings.invite_ttl_days} days, once")
    if username:
        print(f"invite link: {patients.deep_link(username, created.code)}")
    else:
        print(f"invite code: {created.code}  (set BOT_USERNAME to print the full link)")
    return 0


async def change_module(settings: Settings, action: str, pseudonym: str, module: int) -> int:
    infra = build_infrastructure(settings)
    await migrate.upgrade(infra.engine)
    async with infra.session_factory() as session:
        patient = await patients.find_by_pseudonym(session, pseudonym)
        if patient is None:
            print(f"no patient called {pseudonym}", file=sys.stderr)
            return 1
        now = infra.context.clock()
        try:
            if action == "activate":
                await program.activate_module(session, infra.context.catalog, patient, module, now)
            else:
                await program.finish_module(session, patient, module, now)
        except ModuleRuleError as error:
            print(f"cannot {action} module {module}: {error}", file=sys.stderr)
            return 1
        await session.commit()
    await infra.engine.dispose()
    print(f"module {module} {'activated' if action == 'activate' else 'finished'} for {pseudonym}")
    return 0
