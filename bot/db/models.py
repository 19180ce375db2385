"""Tables. Free text and answers live only in the encrypted `payload` columns."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, LargeBinary, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.db.types import UTCDateTime, utcnow


def _when(nullable: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class PatientStatus(StrEnum):
    INVITED = "invited"
    CONSENT_PENDING = "consent_pending"
    DECLINED = "declined"
    ACTIVE = "active"


class ModuleStatus(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"


class Patient(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
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
