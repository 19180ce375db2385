"""Encryption at rest for health data (Fernet: AES-128-CBC with HMAC-SHA256)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken


class VaultError(RuntimeError):
    pass


class Vault:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def seal(self, value: Any) -> bytes:
        return self._fernet.encrypt(json.dumps(value, ensure_ascii=False).encode())

    def open(self, blob: bytes) -> Any:
        try:
            return json.loads(self._fernet.decrypt(blob))
        except InvalidToken as error:
            raise VaultError("data cannot be decrypted with this DATA_KEY") from error


def load_or_create_key(configured: str | None, data_dir: Path) -> bytes:
    """The configured key, else one kept beside the embedded database (created once, 0600)."""
    if configured:
        return configured.encode()
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_bytes().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key
