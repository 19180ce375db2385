"""Settings from the environment and an optional `.env`; every one has a safe default."""

from __future__ import annotations

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
    database_url: str = "sqlite+aiosqlite:///./data/bot.sqlite3"
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
    polling_timeout: int = Field(default=30, ge=0, le=60)

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
