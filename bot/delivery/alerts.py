"""An alert's message in the staff chat, built as it is sent, so it names the coordinators
known then."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import Alert, AlertKind, CareUnit, Patient
from bot.delivery.admins import Admins
from bot.delivery.sender import NotYet
from bot.services import staff
from bot.services.outbox import Outgoing
from bot.texts import staff as views
from bot.texts.keyboards import ack_keyboard

# How long an alert waits for the first list of coordinators before it goes naming nobody.
NAMES_WAIT = timedelta(seconds=60)


class AlertPoster:
    def __init__(self, bot: Bot, ctx: AppContext, admins: Admins) -> None:
        self.bot = bot
        self.ctx = ctx
        self.admins = admins

    async def post(self, session: AsyncSession, message: Outgoing) -> int | None:
        """Before the first list of administrators has ever been read, it is read here (in
        the sender, not on the patient's update); if Telegram cannot tell yet, the alert
        waits a little (retried), then goes naming nobody rather than not at all."""
        alert = await session.get(Alert, message.alert) if message.alert else None
        unit = await session.get(CareUnit, alert.unit_id) if alert else None
        patient = await session.get(Patient, alert.patient_id) if alert else None
        if alert is None or unit is None or patient is None:
            return None  # erased meanwhile
        coordinators = await staff.coordinators(session, unit)
        if not coordinators and unit.admins_checked_at is None:
            await session.commit()
            await self.admins.refresh(session, unit, force=True)
            coordinators = await staff.coordinators(session, unit)
            if not coordinators and self.ctx.clock() - alert.raised_at < NAMES_WAIT:
                raise NotYet("the coordinators are not known yet")
        thread = patient.topic_id if unit.forum else None  # for a link to the topic
        with self.ctx.staff_speaking():
            text = views.alert(
                patient, AlertKind(alert.kind), alert.reason, message.text, coordinators,
                views.staff_link(unit, thread), alert.escalations,
            )  # fmt: skip
            keyboard = ack_keyboard(alert)
        await session.commit()  # nothing is held while Telegram is asked
        sent = await self.bot.send_message(unit.staff_chat_id, text, reply_markup=keyboard)
        return sent.message_id
