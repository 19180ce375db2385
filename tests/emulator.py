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

MEDIA = ("photo", "voice", "document", "sticker")
BOT_USER = {"id": 42, "is_bot": True, "first_name": "Sjukskrivningskollen", "username": "SjkBot"}


class ApiError(Exception):
    """What Telegram answers with ok=false."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class Group:
    """A staff supergroup: its administrators and (when a forum) its topics."""

    chat_id: int
    title: str
    forum: bool = True
    admins: list[dict[str, Any]] = field(default_factory=list)
    topics: dict[int, str] = field(default_factory=dict)
    deleted_topics: set[int] = field(default_factory=set)
    pinned: list[int] = field(default_factory=list)

    def as_chat(self) -> dict[str, Any]:
        return {
            "id": self.chat_id,
            "type": "supergroup",
            "title": self.title,
            "is_forum": self.forum,
        }


@dataclass
class ChatMessage:
    message_id: int
    chat_id: int
    text: str
    from_bot: bool
    reply_markup: dict[str, Any] | None = None
    edits: int = 0
    from_user: dict[str, Any] | None = None
    thread_id: int | None = None
    kind: str = "text"
    file_id: str = ""
    reply_to: int | None = None
    media_group_id: str | None = None
    reactions: list[str] = field(default_factory=list)
    chat: dict[str, Any] | None = None

    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def as_api(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": self.chat or {"id": self.chat_id, "type": "private", "first_name": "Test"},
        }
        if self.kind == "text":
            payload["text"] = self.text
        else:
            payload[self.kind] = _media(self.kind, self.file_id)
            if self.text:
                payload["caption"] = self.text
        payload["from"] = BOT_USER if self.from_bot else (self.from_user or _user(self.chat_id))
        if self.thread_id is not None:
            payload["message_thread_id"] = self.thread_id
            payload["is_topic_message"] = True
        if self.media_group_id:
            payload["media_group_id"] = self.media_group_id
        if self.reply_markup:
            payload["reply_markup"] = self.reply_markup
        return payload


def _media(kind: str, file_id: str) -> Any:
    item = {"file_id": file_id, "file_unique_id": f"u{file_id}"}
    if kind == "photo":
        return [{**item, "width": 800, "height": 600}]
    if kind == "voice":
        return {**item, "duration": 3}
    return item


def _user(user_id: int, language: str = "sv", name: str = "Test") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": language}


@dataclass
class Emulator:
    host: str = "127.0.0.1"
    port: int = 0
    updates: list[dict[str, Any]] = field(default_factory=list)
    chats: dict[int, list[ChatMessage]] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    call_times: list[float] = field(default_factory=list)
    callback_answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    delivered: int = 0  # the highest update id handed to the bot
    inflight: int = 0
    last_activity: float = 0.0
    # Filled in by the test harness, which sees the dispatcher finish each update.
    handled: set[int] = field(default_factory=set)
    handling: int = 0
    # Faults to inject, taken in order by the next calls of a method: ("429", seconds),
    # ("500", 0), ("timeout", seconds the server stalls before dropping the request).
    # Keyed by method, or by "method@chat_id" for the calls to one chat only.
    faults: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    # Telegram's limits, enforced like the real server when set: a 429 when exceeded.
    enforce_limits: bool = False
    caused_429: int = 0
    send_times: list[float] = field(default_factory=list)
    # Other work the bot does after an update (the outbox sender): busy while any says so.
    busy_checks: list[Any] = field(default_factory=list)
    groups: dict[int, Group] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)  # users who blocked the bot
    photos: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._chat_last: dict[int, float] = {}
        self._group_sends: dict[int, list[float]] = {}
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
            if not isinstance(value, str):  # an uploaded file
                data = value.file.read()
                params[key] = {"filename": value.filename, "size": len(data), "data": data}
                continue
            text = value
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
            fault = self._fault(f"{method}@{params.get('chat_id')}") or self._fault(method)
            if fault is not None:
                kind, value = fault
                if kind == "timeout":
                    await asyncio.sleep(value)  # the client gives up first; nothing happens
                    return web.json_response({"ok": False, "error_code": 504}, status=504)
                if kind == "429":
                    return _error(429, f"Too Many Requests: retry after {int(value)}", value)
                return _error(int(kind), "Internal Server Error")
            if method in SENDING and self.enforce_limits:
                over = self._over_limit(int(params["chat_id"]))
                if over:
                    self.caused_429 += 1
                    return _error(429, "Too Many Requests: retry after 1", 1)
            self.calls.append((method, params))
            self.call_times.append(time.monotonic())
            handler = getattr(self, f"_api_{method}", None)
            try:
                result = handler(params) if handler else True
            except ApiError as error:
                return web.json_response(
                    {"ok": False, "error_code": error.code, "description": error.description},
                    status=error.code,
                )
            return _ok(result)
        finally:
            self.inflight -= 1
            self.last_activity = time.monotonic()

    def _fault(self, method: str) -> tuple[str, float] | None:
        queue = self.faults.get(method)
        return queue.pop(0) if queue else None

    def _over_limit(self, chat_id: int) -> bool:
        """About 30 messages a second overall, one a second per chat, twenty a minute per
        group (with a little slack for the network, as Telegram has)."""
        now = time.monotonic()
        self.send_times = [t for t in self.send_times if t > now - 1.0]
        last = self._chat_last.get(chat_id)
        if len(self.send_times) >= 30 or (last is not None and now - last < 0.9):
            return True
        if chat_id < 0:
            minute = [t for t in self._group_sends.get(chat_id, []) if t > now - 59.0]
            if len(minute) >= 20:
                return True
            self._group_sends[chat_id] = [*minute, now]
        self.send_times.append(now)
        self._chat_last[chat_id] = now
        return False

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        if not self.updates and timeout:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):  # see delivery.sender.until_set
                    await self._new_update.wait()
        self.last_activity = time.monotonic()
        if self.updates:
            self.delivered = max(self.delivered, self.updates[-1]["update_id"])
        return list(self.updates)

    # --- Bot API methods ------------------------------------------------------------------------

    def _api_getMe(self, _params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    def _check_destination(self, chat_id: int, params: dict[str, Any]) -> int | None:
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        group = self.groups.get(chat_id)
        thread = params.get("message_thread_id")
        if group is None or thread in (None, ""):
            return None
        thread_id = int(thread)
        if thread_id in group.deleted_topics or thread_id not in group.topics:
            raise ApiError(400, "Bad Request: message thread not found")
        return thread_id

    def _store(self, chat_id: int, params: dict[str, Any], **fields: Any) -> ChatMessage:
        thread = self._check_destination(chat_id, params)
        group = self.groups.get(chat_id)
        reply = params.get("reply_to_message_id") or (params.get("reply_parameters") or {}).get(
            "message_id"
        )
        message = ChatMessage(
            next(self._message_ids),
            chat_id,
            fields.pop("text", ""),
            True,
            params.get("reply_markup"),
            thread_id=thread,
            reply_to=int(reply) if reply else None,
            chat=group.as_chat() if group else None,
            **fields,
        )
        self.chats.setdefault(chat_id, []).append(message)
        return message

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._store(int(params["chat_id"]), params, text=str(params["text"])).as_api()

    def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        self.photos.append(params)
        message = self._store(
            int(params["chat_id"]),
            params,
            text=str(params.get("caption", "")),
            kind="photo",
            file_id=f"upload{len(self.photos)}",
        )
        return message.as_api()

    def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        self.photos.append(params)  # uploads, kept for tests to look at
        message = self._store(
            int(params["chat_id"]),
            params,
            text=str(params.get("caption", "")),
            kind="document",
            file_id=f"upload{len(self.photos)}",
        )
        return message.as_api()

    def _api_sendMediaGroup(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """An album: each item's upload is the form part its "attach://" names."""
        album = f"album{len(self.photos)}"
        sent = []
        for item in params["media"]:
            upload = params.get(str(item["media"]).removeprefix("attach://"))
            self.photos.append({"media": upload})
            sent.append(
                self._store(
                    int(params["chat_id"]),
                    params,
                    text=str(item.get("caption", "")),
                    kind=str(item["type"]),
                    file_id=f"upload{len(self.photos)}",
                    media_group_id=album,
                )
            )
        return [message.as_api() for message in sent]

    def _api_deleteForumTopic(self, params: dict[str, Any]) -> bool:
        self.delete_topic(int(params["chat_id"]), int(params["message_thread_id"]))
        return True

    def _copy(self, params: dict[str, Any], message_id: int) -> ChatMessage:
        source = self.find(int(params["from_chat_id"]), message_id)
        caption = params.get("caption")
        return self._store(
            int(params["chat_id"]),
            params,
            text=str(caption) if caption is not None else source.text,
            kind=source.kind,
            file_id=source.file_id,
            media_group_id=source.media_group_id,
        )

    def _api_copyMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"message_id": self._copy(params, int(params["message_id"])).message_id}

    def _api_copyMessages(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        ids = params["message_ids"]
        ids = json.loads(ids) if isinstance(ids, str) else ids
        if any(a >= b for a, b in itertools.pairwise(int(i) for i in ids)):
            raise ApiError(400, "Bad Request: message identifiers must be in increasing order")
        return [{"message_id": self._copy(params, int(i)).message_id} for i in ids]

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = self.find(int(params["chat_id"]), int(params["message_id"]))
        message.text = str(params["text"])
        message.reply_markup = params.get("reply_markup")
        message.edits += 1
        return message.as_api()

    def _api_editMessageCaption(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = self.find(int(params["chat_id"]), int(params["message_id"]))
        message.text = str(params.get("caption", ""))
        message.edits += 1
        return message.as_api()

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        message = self.find(int(params["chat_id"]), int(params["message_id"]))
        message.reply_markup = params.get("reply_markup")
        return message.as_api()

    def _api_setMessageReaction(self, params: dict[str, Any]) -> bool:
        message = self.find(int(params["chat_id"]), int(params["message_id"]))
        reactions = params.get("reaction") or []
        message.reactions = [r.get("emoji", "") for r in reactions]
        return True

    def _group(self, params: dict[str, Any]) -> Group:
        group = self.groups.get(int(params["chat_id"]))
        if group is None:
            raise ApiError(400, "Bad Request: chat not found")
        return group

    def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        """ChatFullInfo, with the fields Telegram always sends."""
        gifts = {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                 "premium_subscription": False, "gifts_from_channels": False}  # fmt: skip
        return self._group(params).as_chat() | {
            "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts,
        }  # fmt: skip

    def _api_getChatAdministrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        admins = [{"status": "administrator", "user": BOT_USER, **_RIGHTS}]
        for user in self._group(params).admins:
            admins.append({"status": "administrator", "user": user, **_RIGHTS})
        return admins

    def _api_createForumTopic(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self._group(params)
        if not group.forum:
            raise ApiError(400, "Bad Request: the chat is not a forum")
        thread_id = next(self._message_ids)
        group.topics[thread_id] = str(params["name"])
        return {"message_thread_id": thread_id, "name": params["name"], "icon_color": 7322096}

    def _api_editForumTopic(self, params: dict[str, Any]) -> bool:
        group = self._group(params)
        thread_id = int(params["message_thread_id"])
        if thread_id not in group.topics:
            raise ApiError(400, "Bad Request: message thread not found")
        if group.topics[thread_id] == params.get("name"):
            raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
        group.topics[thread_id] = str(params.get("name"))
        return True

    def _api_pinChatMessage(self, params: dict[str, Any]) -> bool:
        self._group(params).pinned.append(int(params["message_id"]))
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        self.callback_answers[str(params["callback_query_id"])] = params
        return True

    # --- what users do ----------------------------------------------------------------------

    def find(self, chat_id: int, message_id: int) -> ChatMessage:
        found = next((m for m in self.chats.get(chat_id, []) if m.message_id == message_id), None)
        if found is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        return found

    def add_group(
        self, chat_id: int, title: str, admins: list[dict[str, Any]], forum: bool = True
    ) -> Group:
        group = Group(chat_id, title, forum, admins)
        self.groups[chat_id] = group
        return group

    def create_topic(self, chat_id: int, name: str) -> int:
        """A topic that exists already (made before the test or bench began)."""
        created = self._api_createForumTopic({"chat_id": chat_id, "name": name})
        return int(created["message_thread_id"])

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Staff delete a topic: it and its messages are gone."""
        group = self.groups[chat_id]
        group.topics.pop(thread_id, None)
        group.deleted_topics.add(thread_id)
        self.chats[chat_id] = [m for m in self.chats.get(chat_id, []) if m.thread_id != thread_id]

    def group_message(
        self,
        chat_id: int,
        user: dict[str, Any],
        content: dict[str, Any],
        thread_id: int | None = None,
        reply_to: ChatMessage | None = None,
    ) -> tuple[int, ChatMessage]:
        group = self.groups[chat_id]
        kind = next((k for k in MEDIA if k in content), "text")
        media = content.get(kind) if kind != "text" else None
        message = ChatMessage(
            next(self._message_ids),
            chat_id,
            content.get("text", content.get("caption", "")),
            False,
            from_user=user,
            thread_id=thread_id,
            kind=kind,
            file_id=(media[-1] if isinstance(media, list) else media or {}).get("file_id", ""),
            media_group_id=content.get("media_group_id"),
            chat=group.as_chat(),
            reply_to=reply_to.message_id if reply_to else None,
        )
        self.chats.setdefault(chat_id, []).append(message)
        payload = message.as_api()
        if "entities" in content:
            payload["entities"] = content["entities"]
        if reply_to is not None:
            payload["reply_to_message"] = reply_to.as_api()
        return self.push({"message": payload}), message

    def edit(self, message: ChatMessage, text: str) -> int:
        """The user edits a message they sent earlier."""
        message.text = text
        payload = message.as_api()
        payload["edit_date"] = int(time.time())
        return self.push({"edited_message": payload})

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
        kind = next((k for k in MEDIA if k in content), None)
        if "text" in content or kind:
            media = content.get(kind) if kind else None
            file_id = (media[-1] if isinstance(media, list) else media or {}).get("file_id", "")
            self.chats.setdefault(user_id, []).append(
                ChatMessage(
                    message["message_id"],
                    user_id,
                    content.get("text", content.get("caption", "")),
                    False,
                    kind=kind or "text",
                    file_id=file_id,
                    media_group_id=content.get("media_group_id"),
                )
            )
        return self.push({"message": message})

    def press(
        self, user_id: int, message: ChatMessage, data: str, user: dict[str, Any] | None = None
    ) -> int:
        query = {
            "id": f"cq{next(self._message_ids)}",
            "from": user or _user(user_id),
            "chat_instance": "ci",
            "message": message.as_api(),
            "data": data,
        }
        return self.push({"callback_query": query})

    async def settle_quiet(self, quiet: float = 0.12, timeout: float = 10.0) -> None:
        """Wait until nothing has been asked of the server for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        start = time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.01)
            idle = time.monotonic() - max(self.last_activity, start)
            busy = any(check() for check in self.busy_checks)
            if self.inflight == 0 and not busy and idle >= quiet:
                return
        raise TimeoutError("the bot kept calling the server")

    async def wait_for(self, condition: Any, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                await self.settle_quiet()
                return
            await asyncio.sleep(0.02)
        raise TimeoutError("the expected messages did not arrive")

    async def settle(self, update_id: int, timeout: float = 10.0, quiet: float = 0.04) -> None:
        """Wait until the bot has handled the update and has gone quiet."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await asyncio.sleep(0.005)
            if update_id not in self.handled or self.handling or self.inflight:
                continue
            if any(check() for check in self.busy_checks):
                continue
            if time.monotonic() - self.last_activity >= quiet:
                return
        raise TimeoutError(f"the bot did not handle update {update_id} in {timeout}s")


_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
    "can_manage_topics": True,
    "can_send_welcome_messages": False,
}


SENDING = {
    "sendMessage",
    "copyMessage",
    "copyMessages",
    "sendPhoto",
    "sendDocument",
    "sendMediaGroup",
    "createForumTopic",
    "pinChatMessage",
    "editMessageText",
}


def _error(code: int, description: str, retry_after: float | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": int(retry_after)}
    return web.json_response(body, status=code)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})
