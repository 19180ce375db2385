"""Tables of the coordinator's method (seed 002): the risk and needs assessment, the forms
a coordinator sends, and the consent to share information with other actors.

Levels, actors and dates are in the clear, so the card, the caseload and the case log are
counted without decrypting; every free text is in the encrypted `payload`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, LargeBinary
from sqlmodel import Field, SQLModel

from bot.db.types import UTCDateTime, utcnow


def _when(nullable: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class Assessment(SQLModel, table=True):
    """One risk and needs assessment: a level of need in each of the five areas."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    author_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    needs: str = Field(max_length=120)  # "employer=2,health=1,…"
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # notes, summary
    made_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class FormRequest(SQLModel, table=True):
    """A form the coordinator asked the patient to fill in outside the modules (KEDS, the
    Örebro form); answered when the patient sends it."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    form_id: str = Field(max_length=64)
    requested_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    requested_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    answered_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class ShareConsent(SQLModel, table=True):
    """The patient's consent to share information with named actors (seed 002,
    "Samtyckesblankett"): given for at most a year, and withdrawn at any time. The newest
    row is the one in force."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    actors: str = Field(default="", max_length=120)  # comma-separated actors
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # "other", limits
    given_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    valid_until: datetime = Field(sa_column=_when())
    withdrawn_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    recorded_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class RehabPlan(SQLModel, table=True):
    """The plan's dates, one row a patient: when it starts and is planned to end, the
    proposed employer meeting and first follow-up, and when it was established and last
    followed up (the journal's KVÅ DV077 and AW026)."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", unique=True)
    started_on: date | None = Field(default=None)
    planned_end: date | None = Field(default=None)
    employer_meeting: date | None = Field(default=None)
    first_follow_up: date | None = Field(default=None)
    back_at_work: date | None = Field(default=None)  # returned to work on
    established_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    followed_up_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    follow_ups: int = Field(default=0)
