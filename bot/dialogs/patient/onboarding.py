"""Joining with an invite: language, consent, and what to expect."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import PatientStatus
from bot.dialogs.filters import HasStatus, IsStranger, OnCurrentScreen
from bot.dialogs.patient.common import Turn
from bot.dialogs.presenter import show
from bot.domain.navigation import Location, Screen
from bot.services import cards, patients, program
from bot.texts.callbacks import Act, Op

JOINED = (PatientStatus.CONSENT_PENDING, PatientStatus.DECLINED, PatientStatus.ACTIVE)
CAN_CHOOSE_LANGUAGE = (PatientStatus.CONSENT_PENDING, PatientStatus.ACTIVE)


async def join(
    message: Message,
    command: CommandObject,
    bot: Bot,
    ctx: AppContext,
    session: AsyncSession,
    i18n: I18n,
) -> None:
    assert message.from_user is not None
    outcome = await patients.redeem_invite(
        session,
        code=command.args or "",
        telegram_user_id=message.from_user.id,
        chat_id=message.chat.id,
        now=ctx.clock(),
    )
    if outcome == patients.InviteProblem.EXPIRED:
        await message.answer(
            _("This invite link has expired. Ask your rehabilitation coordinator for a new one.")
        )
    elif outcome == patients.InviteProblem.UNKNOWN:
        await message.answer(
            _(
                "This invite link is not valid – it may already have been "
                "used. Ask your rehabilitation coordinator for a new one."
            )
        )
    elif not isinstance(outcome, patients.InviteProblem):
        program.move(outcome, Location(screen=Screen.LANGUAGE))
        await show(bot, ctx, session, i18n, outcome)
        await cards.changed(session, ctx, outcome)  # opens the patient's topic


async def start_again(message: Message, turn: Turn) -> None:
    turn.journey.restart_onboarding()
    await turn.show()


async def language_command(message: Message, turn: Turn) -> None:
    program.move(turn.patient, Location(screen=Screen.LANGUAGE))
    await turn.show()


async def choose_language(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    turn.journey.choose_language(callback_data.arg)
    await turn.after_button(query)


async def decide_consent(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    await turn.journey.decide_consent(callback_data.arg == "yes")
    await turn.after_button(query)


async def decline_reason(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    await turn.after_button(query, await turn.journey.decline_reason(callback_data.arg))


async def ask_consent(message: Message, turn: Turn) -> None:
    turn.journey.ask_consent()
    await turn.show()


async def understood(query: CallbackQuery, turn: Turn) -> None:
    program.move(turn.patient, Location(screen=Screen.HOME))
    await turn.after_button(query)


def router() -> Router:
    built = Router(name="onboarding")
    built.message.register(join, CommandStart(deep_link=True), IsStranger())
    built.message.register(start_again, CommandStart(), HasStatus(*JOINED))
    built.message.register(language_command, Command("language"), HasStatus(*CAN_CHOOSE_LANGUAGE))
    built.callback_query.register(
        choose_language,
        Act.filter(F.op == Op.LANGUAGE),
        HasStatus(*CAN_CHOOSE_LANGUAGE),
        OnCurrentScreen(),
    )
    built.callback_query.register(
        decide_consent,
        Act.filter(F.op == Op.CONSENT),
        HasStatus(PatientStatus.CONSENT_PENDING, PatientStatus.ACTIVE, PatientStatus.LAPSED),
        OnCurrentScreen(),
    )
    built.message.register(
        ask_consent, Command("consent"), HasStatus(PatientStatus.ACTIVE, PatientStatus.LAPSED)
    )
    built.callback_query.register(
        decline_reason,
        Act.filter(F.op == Op.DECLINE_REASON),
        HasStatus(PatientStatus.DECLINED),
        OnCurrentScreen(),
    )
    built.callback_query.register(
        understood,
        Act.filter(F.op == Op.UNDERSTOOD),
        HasStatus(PatientStatus.ACTIVE),
        OnCurrentScreen(),
    )
    return built
