"""/note in the staff chat: a contact documented in one line (kind, length, who took part,
a note and the next step). /done takes the same line after it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.db.models import Patient
from bot.dialogs.staff.addressing import for_patient
from bot.dialogs.staff.desk import Desk
from bot.domain import contact_notes as notes
from bot.domain.sharing import NotAgreed
from bot.services import casework, contact_notes
from bot.texts import contacts as views
from bot.texts import sharing as sharing_views


def is_note(text: str) -> bool:
    """Whether the words after /done begin a contact note (its kind first)."""
    words = text.split()
    return bool(words) and words[0].lower() in notes.KIND_WORDS


async def record_note(message: Message, desk: Desk, patient: Patient, text: str) -> None:
    """The note stored, or how to write it, with what was written given back."""
    try:
        entry = notes.parse(text)
    except notes.NoteError as error:
        shown = views.how_to(error.problem) + ("\n\n" + views.echo(text) if text else "")
        await message.reply(shown)
        return
    try:
        await casework.note_contact(desk.session, desk.ctx, desk.actor, patient, entry)
    except NotAgreed as refused:
        await message.reply(sharing_views.refused(refused.parties) + "\n\n" + views.echo(text))
        return
    total = await contact_notes.hours_of(desk.session, patient.key)
    language = desk.ctx.settings.staff_language
    await message.reply(views.recorded(entry.kind, entry.minutes, total, language))


@for_patient
async def note_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, rest: str
) -> None:
    if not rest.strip():
        await message.reply(views.how_to())
        return
    await record_note(message, desk, patient, rest.strip())


def router() -> Router:
    built = Router(name="staff-contacts")
    built.message.register(note_command, Command("note"))
    return built
