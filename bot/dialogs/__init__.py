"""aiogram routers: parse and authorise, call a service, show the result."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.types import TelegramObject

# What a middleware calls next.
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
