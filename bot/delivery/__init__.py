"""Sending to Telegram, after the commit: the outbox sender and what it calls to build and
send rows only the bot's state can build (topics, the card, relays, alerts).

Everything here reads and sends; what is queued and what an outcome changes is decided by
`bot/services/`. Nothing here imports `bot/dialogs/`.
"""
