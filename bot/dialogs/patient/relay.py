"""A patient's message, stored for the coordinator (once, whoever asks first)."""

from __future__ import annotations

from aiogram.types import Message

from bot.db.models import Relay, RelayDirection
from bot.delivery.albums import Albums
from bot.dialogs.patient.common import Turn
from bot.dialogs.staff.desk import content_of
from bot.domain.triage import Level
from bot.services import messages


async def store_from_patient(
    message: Message, turn: Turn, albums: Albums, triage: Level
) -> Relay | None:
    """Store the message (encrypted) and queue its copy for the patient's topic, in the
    caller's transaction. The safety path stores it before answering; the handler that
    comes after finds it stored and does not store it twice. None: not a kind that can be
    passed on."""
    found = await messages.by_source(turn.session, message.chat.id, message.message_id)
    if found is not None:
        return found
    content = content_of(message)
    if content is None:
        return None
    relay = await messages.store(
        turn.session,
        turn.ctx.vault,
        turn.patient,
        direction=RelayDirection.FROM_PATIENT,
        content=content,
        source_chat_id=message.chat.id,
        source_message_id=message.message_id,
        media_group_id=message.media_group_id,
        triage=triage.value,
        now=turn.ctx.clock(),
    )
    await albums.queue(turn.session, relay)
    return relay
