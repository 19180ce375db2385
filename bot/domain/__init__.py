"""Pure program logic: no Telegram, no SQL."""
