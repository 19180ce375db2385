"""The coordinator's contact notes, stored and read: kind, minutes and who took part in the
clear (the hours and the case log are counted from them without decrypting), the note and
the next step sealed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import ContactNote, Patient
from bot.db.vault import Vault
from bot.domain.contact_notes import Contact, ContactEntry, ContactKind, Hours, Party, hours

_COUNTED = select(ContactNote.kind, ContactNote.minutes, ContactNote.participants).where(
    ContactNote.patient_id == bindparam("patient")
)


def add(
    session: AsyncSession, vault: Vault, patient: Patient, author_id: int,
    entry: ContactEntry, now: datetime,
) -> ContactNote:  # fmt: skip
    row = ContactNote(
        patient_id=patient.key,
        author_id=author_id,
        kind=entry.kind.value,
        minutes=entry.minutes,
        participants=",".join(p.value for p in entry.participants),
        payload=vault.seal({"note": entry.note, "next": entry.next_step}),
        held_at=now,
    )
    session.add(row)
    return row


async def of_patient(session: AsyncSession, vault: Vault, patient_id: int) -> list[Contact]:
    found = await session.exec(
        select(ContactNote)
        .where(ContactNote.patient_id == patient_id)
        .order_by(col(ContactNote.held_at), col(ContactNote.id))
    )
    contacts = []
    for row in found.all():
        sealed = vault.open(row.payload)
        parties = tuple(Party(p) for p in row.participants.split(",") if p)
        contacts.append(
            Contact(
                ContactKind(row.kind),
                row.minutes,
                parties,
                sealed.get("note", ""),
                sealed.get("next", ""),
                row.held_at,
            )
        )
    return contacts


async def hours_of(session: AsyncSession, patient_id: int) -> Hours:
    """The patient's hours of coaching and of coordination, and the contacts established."""
    found = await session.exec(_COUNTED, params={"patient": patient_id})
    return hours(found.all())
