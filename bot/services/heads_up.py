"""Short lines in the patient's topic when something needs the coordinator: a form sent (with
its score), a module read to its last page. Queued in the transaction of what happened, once
each (the outbox's key), and drawn in the staff language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.content.schema import Form
from bot.context import AppContext
from bot.db.models import Patient
from bot.services import outbox, staff
from bot.texts import heads_up as lines


async def tell_topic(
    session: AsyncSession, ctx: AppContext, patient: Patient, key: str, purpose: str, text: str
) -> bool:
    """A line in the patient's topic (tagged with the code where the chat has no topics);
    False when the patient has no unit to tell."""
    unit = await staff.unit_of(session, ctx.settings, patient)
    if unit is None:
        return False
    await outbox.enqueue(
        session, ctx.vault, key=key, purpose=purpose, chat_id=unit.staff_chat_id,
        in_topic=True, patient_id=patient.key, text=text, now=ctx.clock(),
    )  # fmt: skip
    return True


async def form_sent(
    session: AsyncSession, ctx: AppContext, patient: Patient, form: Form, sent: datetime,
    score: dict[str, Any] | None,
) -> None:  # fmt: skip
    with ctx.staff_speaking():
        text = lines.form_sent(form, score, ctx.settings.staff_language)
    key = f"form-sent:{patient.key}:{form.id}:{sent.isoformat()}"
    await tell_topic(session, ctx, patient, key, "form sent", text)


async def module_read(
    session: AsyncSession, ctx: AppContext, patient: Patient, module: int, activated: datetime
) -> None:
    """The module's last page reached: told once for each time the module was opened."""
    title = ctx.catalog.module(module).title(ctx.settings.staff_language)
    with ctx.staff_speaking():
        text = lines.module_read(module, title)
    key = f"module-read:{patient.key}:{module}:{activated.isoformat()}"
    await tell_topic(session, ctx, patient, key, "module read", text)
