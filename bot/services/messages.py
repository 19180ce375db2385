"""Messages between patient and coordinators, as stored.

A message is stored (encrypted) before anyone is told it arrived; where its copy went is
recorded when it has been delivered, so a failed delivery stays pending and is retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import (
    Patient,
    Relay,
    RelayDirection,
    RelayStatus,
)
from bot.db.vault import Vault


@dataclass(frozen=True)
class Content:
    """What a message holds, in the form both directions can re-send it."""

    kind: str  # "text", "photo", "voice", "document", "video", "audio", "sticker", ...
    text: str = ""  # the text, or the caption of media
    file_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "file_id": self.file_id}


async def store(
    session: AsyncSession,
    vault: Vault,
    patient: Patient,
    *,
    direction: RelayDirection,
    content: Content,
    source_chat_id: int,
    source_message_id: int,
    media_group_id: str | None = None,
    triage: str = "ordinary",
    author_id: int | None = None,
    now: datetime,
) -> Relay:
    relay = Relay(
        patient_id=patient.key,
        direction=direction,
        source_chat_id=source_chat_id,
        source_message_id=source_message_id,
        media_group_id=media_group_id,
        triage=triage,
        author_id=author_id,
        status=RelayStatus.NOTE if direction == RelayDirection.STAFF_NOTE else RelayStatus.PENDING,
        payload=vault.seal(content.as_dict()),
        created_at=now,
    )
    session.add(relay)
    await session.flush()
    return relay


def content_of(vault: Vault, relay: Relay) -> Content:
    data = vault.open(relay.payload)
    return Content(kind=data["kind"], text=data.get("text", ""), file_id=data.get("file_id", ""))


def update_content(vault: Vault, relay: Relay, content: Content) -> None:
    relay.payload = vault.seal(content.as_dict())


def delivered(session: AsyncSession, relay: Relay, chat_id: int, message_id: int) -> None:
    relay.copy_chat_id = chat_id
    relay.copy_message_id = message_id
    relay.status = RelayStatus.DELIVERED
    session.add(relay)


def undeliverable(session: AsyncSession, relay: Relay) -> None:
    relay.status = RelayStatus.UNDELIVERABLE
    session.add(relay)


async def by_source(session: AsyncSession, chat_id: int, message_id: int) -> Relay | None:
    found = await session.exec(
        select(Relay).where(Relay.source_chat_id == chat_id, Relay.source_message_id == message_id)
    )
    return found.first()


async def by_copy(session: AsyncSession, chat_id: int, message_id: int) -> Relay | None:
    found = await session.exec(
        select(Relay).where(Relay.copy_chat_id == chat_id, Relay.copy_message_id == message_id)
    )
    return found.first()


async def all_pending(
    session: AsyncSession, *, album: str | None = None, before: datetime | None = None
) -> list[Relay]:
    """Messages not yet delivered, oldest first: the parts of one album, or those stored
    before a moment."""
    query = select(Relay).where(Relay.status == RelayStatus.PENDING)
    if album is not None:
        query = query.where(Relay.media_group_id == album)
    if before is not None:
        query = query.where(col(Relay.created_at) < before)
    found = await session.exec(query.order_by(col(Relay.id)))
    return list(found.all())
