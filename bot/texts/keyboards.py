"""The buttons the bot's own messages carry in the staff chat: the card's and an alert's."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import Alert, Patient
from bot.texts.staff_callbacks import StaffAct, StaffOp


def ack_keyboard(alert: Alert) -> InlineKeyboardMarkup:
    keys = InlineKeyboardBuilder()
    keys.button(
        text="✅ " + _("Acknowledge"),
        callback_data=StaffAct(op=StaffOp.ACK, patient=alert.patient_id, arg=str(alert.id)).pack(),
    )
    return keys.as_markup()


def card_keyboard(patient: Patient) -> InlineKeyboardMarkup:
    keys = InlineKeyboardBuilder()
    for op, label in (
        (StaffOp.FORMS, _("📋 Forms")),
        (StaffOp.CHART, _("📈 Wellbeing")),
        (StaffOp.PLAN, _("🎯 Plan")),
        (StaffOp.TODO, _("☑️ To do")),
        (StaffOp.JOURNAL, _("📝 Journal")),
    ):
        keys.button(text=label, callback_data=StaffAct(op=op, patient=patient.key).pack())
    keys.adjust(3, 2)
    return keys.as_markup()
