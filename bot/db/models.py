"""Tables. Free text and answers live only in the encrypted `payload` columns."""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum

from sqlalchemy import BigInteger, Column, Index, LargeBinary, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.db.types import UTCDateTime, utcnow


def _when(nullable: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class PatientStatus(StrEnum):
    INVITED = "invited"
    CONSENT_PENDING = "consent_pending"
    DECLINED = "declined"
    ACTIVE = "active"
    LAPSED = "lapsed"  # consent ran out: nothing is shared until it is renewed


class ProgramPhase(StrEnum):
    RUNNING = "running"
    MAINTENANCE = "maintenance"  # vidmakthåll: modules done, the program winds down
    ENDED = "ended"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class TargetGroup(StrEnum):
    MENTAL = "mental"
    PAIN = "pain"
    BOTH = "both"


class ContactWay(StrEnum):
    PHONE = "phone"
    MESSAGE = "message"
    VISIT = "visit"


class Signature(StrEnum):
    ROLE = "role"  # "Your coordinator"
    FIRST_NAME = "first_name"  # "Anna, your coordinator"


class ModuleStatus(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"


class CareUnit(SQLModel, table=True):
    """A health centre: its staff supergroup and its patients."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    staff_chat_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    signature: Signature = Field(default=Signature.ROLE, sa_type=String(16))
    # Where an unacknowledged acute alert is escalated: a Telegram chat id (a manager, a duty
    # phone's account). None repeats the alert in the staff chat only.
    fallback_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # Whether the staff chat has forum topics (as Telegram last reported it).
    forum: bool = Field(default=True)
    admins_checked_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))

    @property
    def key(self) -> int:
        assert self.id is not None, "the unit has not been stored yet"
        return self.id


class Coordinator(SQLModel, table=True):
    """A member of a unit's staff chat whom the bot knows as a coordinator."""

    __table_args__ = (UniqueConstraint("unit_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="careunit.id", index=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    first_name: str = Field(default="", max_length=64)
    is_admin: bool = Field(default=False)  # as getChatAdministrators last said
    allow_listed: bool = Field(default=False)
    away_until: date | None = Field(default=None)

    @property
    def active(self) -> bool:
        return self.is_admin or self.allow_listed


class Patient(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int | None = Field(default=None, foreign_key="careunit.id", index=True)
    pseudonym: str = Field(index=True, unique=True, max_length=32)
    language: str = Field(default="sv", max_length=5)
    status: PatientStatus = Field(default=PatientStatus.INVITED, sa_type=String(20))
    invite_code_hash: str | None = Field(default=None, index=True, unique=True, max_length=64)
    invite_expires_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    telegram_user_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, unique=True, index=True, nullable=True)
    )
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # Where the patient is in the bot (JSON of bot.domain.navigation.Location).
    location: str = Field(default='{"screen": "home"}')
    # Bumped on every interactive screen; buttons carry it so stale presses are recognised.
    screen_seq: int = Field(default=0)
    screen_message_id: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    joined_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    # What the coordinator records at the invite (the case log counts by sex and group).
    sex: Sex | None = Field(default=None, sa_type=String(8))
    target_group: TargetGroup | None = Field(default=None, sa_type=String(8))
    sick_leave_start: date | None = Field(default=None)
    contact_way: ContactWay = Field(default=ContactWay.PHONE, sa_type=String(8))
    next_contact_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    coordinator_id: int | None = Field(default=None, foreign_key="coordinator.id")
    phase: ProgramPhase = Field(default=ProgramPhase.RUNNING, sa_type=String(12))
    # The patient's topic in the staff chat and the pinned card at its top.
    topic_id: int | None = Field(default=None)
    card_message_id: int | None = Field(default=None)
    card_digest: str = Field(default="", max_length=64)
    blocked_bot: bool = Field(default=False)
    # Time: the last contact recorded done, and the patient's nudges.
    contact_done_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    nudges_on: bool = Field(default=True)
    last_nudged_on: date | None = Field(default=None)
    maintenance_since: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    # The module chosen at the invite, opened the moment the patient consents.
    first_module: int | None = Field(default=None)
    criteria: str = Field(default="", max_length=64)  # why coordination may be needed
    age_band: str | None = Field(default=None, max_length=8)  # for the statistics

    @property
    def key(self) -> int:
        """The id of a stored patient (never None once flushed)."""
        assert self.id is not None, "the patient has not been stored yet"
        return self.id


class ConsentRecord(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    kind: str = Field(max_length=32)
    version: str = Field(max_length=16)
    accepted: bool
    decided_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class ModuleProgress(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("patient_id", "module"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    module: int
    status: ModuleStatus = Field(default=ModuleStatus.ACTIVE, sa_type=String(20))
    page_id: str | None = Field(default=None, max_length=64)
    activated_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    finished_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    last_opened_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class FormDraft(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("patient_id", "module", "form_id"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    module: int
    form_id: str = Field(max_length=64)
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class FormResponse(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    module: int
    form_id: str = Field(max_length=64, index=True)
    # Encrypted JSON: {"answers": {...}, "score": {...} | null}
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    wording: str = Field(max_length=64)
    content_version: str = Field(max_length=16)
    submitted_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class ProcessedUpdate(SQLModel, table=True):
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    processed_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class RelayDirection(StrEnum):
    FROM_PATIENT = "in"
    TO_PATIENT = "out"
    STAFF_NOTE = "note"


class RelayStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    UNDELIVERABLE = "undeliverable"
    NOTE = "note"


class Relay(SQLModel, table=True):
    """One message between patient and coordinators, and where its copy went."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    direction: RelayDirection = Field(sa_type=String(4))
    source_chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    source_message_id: int
    copy_chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    copy_message_id: int | None = Field(default=None, index=True)
    media_group_id: str | None = Field(default=None, max_length=64)
    status: RelayStatus = Field(default=RelayStatus.PENDING, sa_type=String(14))
    triage: str = Field(default="ordinary", max_length=10)
    author_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # Encrypted JSON: {"kind": "text"|"photo"|..., "text": ..., "file_id": ...}
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())

    @property
    def key(self) -> int:
        assert self.id is not None, "the message has not been stored yet"
        return self.id


class AlertKind(StrEnum):
    ACUTE = "acute"
    URGENT = "urgent"
    LOW_WELLBEING = "low_wellbeing"


class Alert(SQLModel, table=True):
    """Something the coordinators must see and acknowledge; escalated when nobody does."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    unit_id: int = Field(foreign_key="careunit.id", index=True)
    kind: AlertKind = Field(sa_type=String(16))
    reason: str = Field(default="", max_length=200)
    raised_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    escalate_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    escalations: int = Field(default=0)
    acknowledged_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    acknowledged_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class SafetyCheck(SQLModel, table=True):
    """The direct question asked when a message may signal risk ("possible"), and what the
    patient answered: shown to the coordinator on the card."""

    __tablename__ = "safetycheck"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    reason: str = Field(default="", max_length=120)
    asked_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    answer: str = Field(default="", max_length=8)  # "", "yes" or "no"
    answered_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class AuditEntry(SQLModel, table=True):
    """Who did or looked at what, when; refused attempts too."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int | None = Field(default=None, foreign_key="careunit.id", index=True)
    actor_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    actor_name: str = Field(default="", max_length=64)
    action: str = Field(max_length=40)
    patient_id: int | None = Field(default=None, index=True)
    detail: str = Field(default="", max_length=200)
    allowed: bool = Field(default=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_when())


class ChecklistTick(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("patient_id", "module", "item"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    module: int
    item: str = Field(max_length=32)
    ticked_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    ticked_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class PlanNote(SQLModel, table=True):
    """The coordinator's complement to the patient's rehabilitation plan (encrypted text)."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    author_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    written_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    # "note" (the payload is its text), "activity" or "sub_goal" (the payload is the change)
    kind: str = Field(default="note", max_length=12)


class ContactNote(SQLModel, table=True):
    """A contact the coordinator documented (seed 002, "Dokumentation"): its kind, length and
    who took part, in the clear for the hours and the case log; the note and the next step
    encrypted."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    author_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    kind: str = Field(max_length=16)
    minutes: int
    participants: str = Field(default="patient", max_length=120)  # comma-separated actors
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    held_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class StaffDialog(SQLModel, table=True):
    """A coordinator's guided dialog in the staff chat (the invite), one at a time each."""

    __table_args__ = (UniqueConstraint("unit_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="careunit.id")
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    thread_id: int | None = Field(default=None)
    message_id: int | None = Field(default=None)
    state: str = Field(default="{}")  # JSON of the answers so far; no health data
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender; back to pending if that sender died
    SENT = "sent"
    REFUSED = "refused"  # permanently: blocked, chat gone, bad request
    GAVE_UP = "gave_up"  # retried until the limit


class OutboxMethod(StrEnum):
    SEND = "send"  # a text the row carries
    # Built when sent, from what is stored then (so an edit made meanwhile goes too):
    RELAY = "relay"  # a message (or album) between patient and topic
    EDIT = "edit"  # an edit mirrored onto the other side's copy
    CARD = "card"  # the patient's pinned card, edited (or posted and pinned)
    REACT = "react"  # a reaction on a coordinator's message (👌 delivered)
    DROP_TOPIC = "untopic"  # delete a topic whose patient's content was deleted
    ALERT = "alert"  # an alert, naming the coordinators known when it is sent


class Lane(IntEnum):
    """Which rows go first: the answer to a patient in danger and the alert about them never
    wait behind relays, cards or topics."""

    SAFETY = 0
    NORMAL = 1


class OutboxMessage(SQLModel, table=True):
    """A message the bot sends on its own initiative, kept until Telegram has taken it."""

    __tablename__ = "outbox"
    # What a claim reads: the due rows of each lane, oldest first.
    __table_args__ = (Index("ix_outbox_claim", "status", "lane", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # The same key is only ever queued once: what makes a retry or a catch-up harmless.
    dedupe_key: str = Field(max_length=160, unique=True)
    purpose: str = Field(max_length=32)
    method: OutboxMethod = Field(default=OutboxMethod.SEND, sa_type=String(8))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    thread_id: int | None = Field(default=None)
    # The thread is the patient's topic as it is when sent: opened, or reopened if deleted.
    in_topic: bool = Field(default=False)
    patient_id: int | None = Field(default=None, index=True)
    lane: int = Field(default=Lane.NORMAL)
    # Encrypted JSON: {"text": ..., "reply_markup": ..., "reply_to": ..., "relays": [...]}
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=String(10), index=True)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    claimed_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    sent_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    message_id: int | None = Field(default=None)
    last_error: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class JobStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"
    SKIPPED = "skipped"  # fell due too long ago (beyond the grace period), or no longer applies
    CANCELLED = "cancelled"


class ScheduledJob(SQLModel, table=True):
    """Something that must happen at a time: claimed atomically, so it happens once."""

    __tablename__ = "job"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160, unique=True)
    kind: str = Field(max_length=32, index=True)
    patient_id: int | None = Field(default=None, index=True)
    unit_id: int | None = Field(default=None)
    due_at: datetime = Field(sa_column=_when())
    status: JobStatus = Field(default=JobStatus.PENDING, sa_type=String(10), index=True)
    claimed_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    done_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    data: str = Field(default="{}")  # JSON; never health data


class CaseRecord(SQLModel, table=True):
    """The case log's row for one patient offered the program (seed 002, "Ärendelogg"),
    kept from the invite on. While the patient's content exists it names their code; when
    it is deleted the code, the link and the comment go, and no one can be told from what
    is left, only the figures the overview needs."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int | None = Field(default=None, foreign_key="careunit.id", index=True)
    patient_id: int | None = Field(default=None, index=True)  # until the content is deleted
    pseudonym: str | None = Field(default=None, max_length=32)  # likewise
    status: str = Field(default="offered", max_length=10)  # domain/caselog.CaseStatus
    sex: str | None = Field(default=None, max_length=8)
    age_band: str | None = Field(default=None, max_length=8)
    target_group: str | None = Field(default=None, max_length=8)
    offered_on: date | None = Field(default=None)
    started_on: date | None = Field(default=None)  # consent to take part given
    ended_on: date | None = Field(default=None)
    declined_on: date | None = Field(default=None)
    informed_storage: bool = Field(default=False)  # told what is stored (the consent text)
    decline_reason: str = Field(default="", max_length=16)  # domain/caselog.DeclineReason
    decline_comment: bytes | None = Field(default=None, sa_column=Column(LargeBinary))  # sealed
    accepted: bool = Field(default=False)
    started_month: str = Field(default="", max_length=7)  # "2026-11": month only
    ended_month: str = Field(default="", max_length=7)
    weeks: int = Field(default=0)
    modules_finished: int = Field(default=0)
    ended_by: str = Field(default="", max_length=16)  # "program" (maintenance, /end), "erasure"
    # From the contact notes: the hours of each kind of support, and who was contacted.
    coaching_minutes: int = Field(default=0)
    coordination_minutes: int = Field(default=0)
    contacts_established: str = Field(default="", max_length=120)  # comma-separated actors
    # From the method's records: how often needs were assessed, the areas in need at the
    # last one, and the actors the patient agreed to share with.
    assessments: int = Field(default=0)
    areas_in_need: str = Field(default="", max_length=120)
    consent_to_share: str = Field(default="", max_length=120)
    # The evaluation's figures (domain/evaluation.py), counted as the program runs or kept
    # when the content goes: which modules were finished, contact days kept and missed, the
    # first and last WHO-5 and WAI (and the WAI's bands), and the return to work.
    modules_done: str = Field(default="", max_length=20)  # "1,2,3"
    contacts_kept: int = Field(default=0)
    contacts_missed: int = Field(default=0)
    who5_first: float | None = Field(default=None)
    who5_last: float | None = Field(default=None)
    who5_measures: int = Field(default=0)
    wai_first: float | None = Field(default=None)
    wai_last: float | None = Field(default=None)
    wai_measures: int = Field(default=0)
    wai_first_band: str | None = Field(default=None, max_length=12)
    wai_last_band: str | None = Field(default=None, max_length=12)
    back_at_work_on: date | None = Field(default=None)


# The method's tables register with the same metadata (and are importable from here).
from bot.db.method import Assessment, FormRequest, RehabPlan, ShareConsent  # noqa: E402

__all__ = ["Assessment", "FormRequest", "RehabPlan", "ShareConsent"]
