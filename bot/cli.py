"""Coordinator tasks from the command line, until (and beside) the staff chat."""

from __future__ import annotations

import sys
from datetime import timedelta

from aiogram.exceptions import TelegramAPIError
from aiohttp import ClientError

from bot.app import build_infrastructure
from bot.config import Settings
from bot.db import migrate
from bot.db.models import Signature
from bot.domain import invite as steps
from bot.domain.navigation import ModuleRuleError
from bot.services import patients, program, staff
from bot.telegram import create_bot
from bot.texts.rules import module_rule


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


async def invite(settings: Settings, answers: dict[str, str | None], unit_chat: int | None) -> int:
    """The staff dialog's invite from the command line: the same checks, the same record."""
    infra = build_infrastructure(settings)
    await migrate.upgrade(infra.engine)
    today = infra.context.today().date()
    state: dict[str, str] = {}
    try:
        for step in steps.Step:
            raw = answers.get(step.value)
            if raw is not None:
                state = steps.answer(state, step, raw, today, settings.tz)
    except steps.InviteInputError as error:
        print(f"cannot invite: {step.value}: {error.problem.value}", file=sys.stderr)
        return 1
    async with infra.session_factory() as session:
        code = state.get(steps.Step.PSEUDONYM.value)
        if code and await patients.find_by_pseudonym(session, code):
            print(f"a patient called {code} exists already", file=sys.stderr)
            return 1
        unit = (
            await staff.unit_by_chat(session, unit_chat)
            if unit_chat is not None
            else await staff.default_unit(session, settings)
        )
        if unit_chat is not None and unit is None:
            print(f"no care unit has the staff chat {unit_chat}", file=sys.stderr)
            return 1
        created = await patients.create_invite(
            session,
            patients.invite_details(state, unit_id=unit.id if unit else None, coordinator_id=None),
            now=infra.context.clock(),
            ttl=timedelta(days=settings.invite_ttl_days),
        )
        await session.commit()
    await infra.engine.dispose()
    username = await _bot_username(settings)
    print(f"patient: {created.patient.pseudonym}")
    print(f"valid for {settings.invite_ttl_days} days, once")
    print(f"module {created.patient.first_module} opens as they join")
    if username:
        print(f"invite link: {patients.deep_link(username, created.code)}")
    else:
        print(f"invite code: {created.code}  (set BOT_USERNAME to print the full link)")
    return 0


async def add_unit(
    settings: Settings,
    *,
    name: str,
    chat_id: int,
    signature: str,
    fallback: int | None,
    allow: list[int],
) -> int:
    infra = build_infrastructure(settings)
    await migrate.upgrade(infra.engine)
    async with infra.session_factory() as session:
        if await staff.unit_by_chat(session, chat_id) is not None:
            print(f"a unit with the staff chat {chat_id} exists already", file=sys.stderr)
            return 1
        unit = await staff.add_unit(
            session,
            name=name,
            staff_chat_id=chat_id,
            signature=Signature(signature),
            fallback_chat_id=fallback,
            allow_list=allow,
        )
        await session.commit()
    await infra.engine.dispose()
    print(f"unit {unit.id}: {name}, staff chat {chat_id}")
    print("make the bot an administrator of that supergroup, with topics turned on")
    return 0


async def list_units(settings: Settings) -> int:
    infra = build_infrastructure(settings)
    await migrate.upgrade(infra.engine)
    async with infra.session_factory() as session:
        await staff.default_unit(session, settings)
        await session.commit()
        for unit in await staff.units(session):
            print(f"{unit.id}\t{unit.staff_chat_id}\t{unit.name}")
    await infra.engine.dispose()
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
            with infra.context.speaking("en"):
                print(f"cannot {action} module {module}: {module_rule(error)}", file=sys.stderr)
            return 1
        await session.commit()
    await infra.engine.dispose()
    print(f"module {module} {'activated' if action == 'activate' else 'finished'} for {pseudonym}")
    return 0
