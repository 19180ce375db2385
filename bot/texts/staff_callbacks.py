"""Button payloads in the staff chat. They name the patient; who may press is checked anew."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class StaffOp(StrEnum):
    ACK = "ack"
    FORMS = "forms"
    CHART = "chart"
    PLAN = "plan"
    TODO = "todo"
    TICK = "tick"
    JOURNAL = "journal"
    HANDOVER = "handover"
    END = "end"
    INVITE = "invite"  # a choice in the invite dialog (arg: the answer)
    CANCEL = "cancel"
    SEND_FORM = "send"  # a form to the patient (arg: its id)
    ASK_CONSENT = "askconsent"  # the consent-to-share form to the patient
    CASELOAD = "cases"  # a view of /patients (arg: the view)


class StaffAct(CallbackData, prefix="s"):
    op: StaffOp
    patient: int = 0
    arg: str = ""
