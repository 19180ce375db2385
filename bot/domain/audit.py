"""What the audit log records: one name for each kind of staff action (stored as its value,
shown in the staff language by `bot/texts/staff.audit_action`)."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    INVITE = "invite"
    NOTE = "note"  # a coordinator's note in the topic, not sent to the patient
    REPLY = "reply"
    EDIT_REPLY = "edit reply"
    ACKNOWLEDGE_ALERT = "acknowledge alert"
    AWAY = "away"
    AWAY_OFF = "away off"
    VIEW_AUDIT = "view audit"
    VIEW_CARD = "view card"
    VIEW_FORMS = "view forms"
    VIEW_CHART = "view chart"
    VIEW_PLAN = "view plan"
    VIEW_TODO = "view todo"
    VIEW_JOURNAL = "view journal"
    ACTIVATE = "activate"
    FINISH = "finish"
    COMPLEMENT_PLAN = "complement plan"
    TICK = "tick"
    UNTICK = "untick"
    SET_CONTACT = "set contact"
    CONTACT_DONE = "contact done"
    CONTACT_NOTE = "contact note"
    ASSESS = "assess"
    SEND_FORM = "send form"
    VIEW_CONSENT = "view consent"
    VIEW_CASELOAD = "view caseload"
    DECLINE_REASON = "decline reason"
    VIEW_REPORT = "view report"
    ASK_CONSENT = "ask consent"
    RECORD_CONSENT = "record consent"
    WITHDRAW_CONSENT = "withdraw consent"
    NAME_OTHER = "name other actor"
    MAINTENANCE = "maintenance"
    END_PROGRAM = "end program"
    HAND_OVER = "hand over"
    CONTENT_DELETED = "content deleted"
    # Refused: someone who is not a coordinator tried (the detail says what).
    COMMAND = "command"
    WRITE_TO_PATIENT = "write to patient"
    BUTTON = "button"
