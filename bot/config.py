"""Settings from the environment and an optional `.env`; every one has a safe default."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TELEGRAM_API_URL = "https://api.telegram.org"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    # Used for invite links; asked of the Bot API (getMe) when left empty.
    bot_username: str = ""
    database_url: str = "sqlite:///./data/bot.sqlite3"
    telegram_api_url: str = TELEGRAM_API_URL
    staff_chat_id: int | None = None
    timezone: str = "Europe/Stockholm"

    clinic_name: str = "Vårdcentralen"
    # 1177 is the national health-care advice line: a safe number until the clinic sets its own.
    clinic_phone: str = "1177"
    support_contact: str = ""
    response_time_days: int = Field(default=2, ge=1, le=14)

    # Fernet key for health data at rest; generated into data_dir on first run when unset.
    data_key: SecretStr | None = None
    data_dir: Path = Path("data")
    # Directory of licensed instrument wording packs (INSTRUMENTS.md); none by default.
    wording_pack_dir: Path | None = None
    invite_ttl_days: int = Field(default=14, ge=1, le=90)

    # The staff side. STAFF_CHAT_ID's unit exists from the start; `unit add` adds more.
    staff_allow_list: list[int] = Field(default_factory=list)
    staff_language: str = Field(default="sv", pattern="^(sv|en)$")
    staff_signature: str = Field(default="role", pattern="^(role|first_name)$")
    fallback_chat_id: int | None = None
    # A coordinator's message in a topic starting with this stays a staff-only note.
    note_marker: str = "//"
    office_opens: time = time(8, 0)
    office_closes: time = time(16, 0)
    # Minutes, in office hours, before an unacknowledged alert is repeated and escalated.
    alert_ack_minutes: int = Field(default=30, ge=1, le=24 * 60)
    admins_refresh_minutes: int = Field(default=10, ge=1, le=24 * 60)
    # Time and the outbox.
    outbox_rate: float = Field(default=30.0, gt=0, le=30)  # messages a second, all chats
    # Telegram's limits per chat: one message a second, twenty a minute to a group.
    outbox_chat_interval: float = Field(default=1.0, gt=0, le=60)
    outbox_group_per_minute: int = Field(default=20, ge=1)
    outbox_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    request_timeout: float = Field(default=30.0, gt=0, le=120)
    catch_up_grace_hours: float = Field(default=12.0, ge=0, le=72)
    nudge_after_days: int = Field(default=3, ge=1, le=30)
    # Days after a nudge without the program opened before the coordinator is told.
    idle_notice_days: int = Field(default=4, ge=1, le=30)
    maintenance_weeks: int = Field(default=3, ge=1, le=26)
    # A count under this is shown as "<N" in anything that leaves the staff chat.
    small_cell: int = Field(default=5, ge=2, le=20)
    # Sick leave this long makes a "long case" to go through with the doctor (seed 001).
    long_case_days: int = Field(default=90, ge=14, le=730)
    crisis_lines: list[str] = Field(
        default_factory=lambda: [
            "Självmordslinjen (Mind): 90101",
            "Kvinnofridslinjen: 020-50 50 50",
        ]
    )
    polling_timeout: int = Field(default=30, ge=0, le=60)
    # Updates handled at once; more only lengthens the event loop's queue.
    update_concurrency: int = Field(default=16, ge=1)

    @field_validator("bot_token", "data_key", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        ZoneInfo(value)
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
