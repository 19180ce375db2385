"""The commands Telegram lists in each chat's menu: the patient's, and the coordinators' in
their staff chats."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllPrivateChats,
)
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.texts import N_

STAFF_COMMANDS = (
    ("invite", N_("Invite a new patient")),
    ("patients", N_("The unit's patients: mine, attention, noplan, long")),
    ("card", N_("The patient's card")),
    ("activate", N_("Activate a module: /activate N")),
    ("finish", N_("Finish a module: /finish N")),
    ("forms", N_("The patient's forms")),
    ("chart", N_("The wellbeing trend")),
    ("plan", N_("The shared plan: /plan + WHAT; WHO; DATE adds an activity")),
    ("todo", N_("The module's to-do list")),
    ("contact", N_("Set the next contact")),
    ("done", N_("The contact took place; /done DATE TIME sets the next")),
    ("note", N_("Document a contact: /note coaching 45 with employer …")),
    ("assess", N_("The risk and needs assessment, one area a line")),
    ("send", N_("Send a form to the patient: /send KEDS or /send OREBRO-SF")),
    ("consent", N_("Consent to share: see it, ask for it, record or withdraw it")),
    ("journal", N_("A summary for the patient record")),
    ("handover", N_("Hand the patient over")),
    ("maintenance", N_("Put the program in maintenance")),
    ("end", N_("End the program")),
    ("away", N_("Your absence: /away DATE or /away off")),
    ("declined", N_("Why the patient declined, for the case log")),
    ("audit", N_("The audit log")),
    ("report", N_("The case log as a workbook: /report or /report YYYY-MM")),
    ("stats", N_("The unit's evaluation figures and charts, by sex")),
    ("help", N_("Staff help")),
)


async def set_commands(bot: Bot, i18n: I18n, settings: Settings) -> None:
    for language in ("sv", "en"):
        with i18n.use_locale(language), i18n.context():
            commands = [
                BotCommand(command="menu", description=i18n.gettext("Your modules")),
                BotCommand(command="help", description=i18n.gettext("Help")),
                BotCommand(command="language", description=i18n.gettext("Change language")),
                BotCommand(command="reminders", description=i18n.gettext("Reminders on or off")),
                BotCommand(command="export", description=i18n.gettext("Your material as a PDF")),
                BotCommand(command="consent", description=i18n.gettext("Your consent")),
                BotCommand(command="erase", description=i18n.gettext("Delete everything")),
            ]
        await bot.set_my_commands(
            commands,
            scope=BotCommandScopeAllPrivateChats(),
            language_code=None if language == "sv" else language,
        )
    with i18n.use_locale(settings.staff_language), i18n.context():
        staff_commands = [
            BotCommand(command=name, description=i18n.gettext(description))
            for name, description in STAFF_COMMANDS
        ]
    # Group administrators are the coordinators; the bot still checks on every use.
    await bot.set_my_commands(staff_commands, scope=BotCommandScopeAllChatAdministrators())
