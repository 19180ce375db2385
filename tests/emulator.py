"""A local Bot API server: enough of Telegram for the bot to run against over real HTTP.

Tests inject what users do (messages, button presses) as updates, the bot fetches them with
getUpdates, and every call the bot makes is answered and recorded, so tests can read the
chat as the user sees it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 42, "is_bot": True, "first_name": "Sjukskrivningskollen", "username": "SjkBot"}


@dataclass
class ChatMessage:
    message_id: int
    chat_id: int
    text: str
    from_bot: bool
    reply_markup: dict[str, Any] | None = None
    edits: int = 0

    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def as_api(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": "private", "first_name": "Test"},
            "text": self.text,
        }
        payload["from"] = BOT_USER if self.from_bot else _user(self.chat_id)
        if self.reply_markup:
            payload["reply_markup"] = self.reply_markup
        return payload


def _user(user_id: int, language: str = "sv") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": language}


@dataclass
class Emulator:
    host: str = "127.0.0.1"
    port: int = 0
    updates: list[dict[str, Any]] = field(default_factory=list)
    chats: dict[int, list[ChatMessage]] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    callback_answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    delivered: int = 0  # the highest update id handed to the bot
    inflight: int = 0
    last_activity: float = 0.0

    def __post_init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None

    # --- server -------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            text = value if isinstance(value, str) else ""
            try:
                params[key] = json.loads(text) if text[:1] in "{[" else text
            except json.JSONDecodeError:
                params[key] = text
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if method == "getUpdates":
            return _ok(await self._get_updates(params))
        self.inflight += 1
        try:
            self.calls.append((method, params))
            handler = getattr(self, f"_api_{method}", None)
            result = handler(params) if handler else True
            return _ok(result)
        finally:
            self.inflight -= 1
            self.last_activity = time.monotonic()

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        if not self.updates and timeout:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        self.last_activity = time.monotonic()
        if self.updates:
            self.delivered = max(self.delivered, self.updates[-1]["update_id"])
        return list(self.updates)

    # --- Bot API methods ------------------------------------------------------------------------

    def _api_getMe(self, _params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message = ChatMessage(
            next(self._message_ids),
            chat_id,
            str(params["text"]),
            True,
            params.get("reply_markup"),
        )
        self.chats.setdefault(chat_id, []).append(message)
        return message.as_api()

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = self.find(int(params["chat_id"]), int(params["message_id"]))
        message.text = str(params["text"])
        message.reply_markup = params.get("reply_markup")
        message.edits += 1
        return message.as_api()

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        self.callback_answers[str(params["callback_query_id"])] = params
        return True

    # --- what users do ----------------------------------------------------------------------

    def find(self, chat_id: int, message_id: int) -> ChatMessage:
        return next(m for m in self.chats[chat_id] if m.message_id == message_id)

    def push(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    def user_message(self, user_id: int, content: dict[str, Any], language: str = "sv") -> int:
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Test"},
            "from": _user(user_id, language),
            **content,
        }
        if "text" in content:
            self.chats.setdefault(user_id, []).append(
                ChatMessage(message["message_id"], user_id, content["text"], False)
            )
        return self.push({"message": message})

    def press(self, user_id: int, message: ChatMessage, data: str) -> int:
        query = {
            "id": f"cq{next(self._message_ids)}",
            "from": _user(user_id),
            "chat_instance": "ci",
            "message": message.as_api(),
            "data": data,
        }
        return self.push({"callback_query": query})

    async def settle(self, update_id: int, timeout: float = 10.0, quiet: float = 0.12) -> None:
        """Wait until the bot has taken the update and has gone quiet."""
        deadline = time.monotonic() + timeout
        taken_at: float | None = None
        while time.monotonic() < deadline:
            await asyncio.sleep(0.01)
            if taken_at is None:
                if self.delivered >= update_id:
                    taken_at = time.monotonic()
                continue
            idle = time.monotonic() - max(self.last_activity, taken_at)
            if self.inflight == 0 and idle >= quiet:
                return
        raise TimeoutError(f"the bot did not handle update {update_id} in {timeout}s")


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})
