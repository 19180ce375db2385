"""Which patient a coordinator's command is about: the topic's, or the code given."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram.filters import CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.db.models import Patient
from bot.dialogs.staff.desk import Desk


def _argument(command: CommandObject) -> tuple[str | None, str]:
    """A leading patient code (P-XXXXX) when the command is used outside a topic."""
    args = (command.args or "").strip()
    first, *rest = args.split(maxsplit=1) or [""]
    if first.upper().startswith("P-"):
        return first, rest[0].strip() if rest else ""
    return None, args


async def _patient(
    message: Message, desk: Desk, command: CommandObject
) -> tuple[Patient, str] | None:
    code, rest = _argument(command)
    patient = await desk.patient_for(message, code)
    if patient is None:
        await message.reply(
            _(
                "Use this in a patient's topic, or give the patient's code, e.g. "
                "<code>/{command} P-ABC23</code>. Only this unit's patients are found."
            ).format(command=command.command)
        )
        return None
    return patient, rest


PatientHandler = Callable[[Message, CommandObject, Desk, Patient, str], Awaitable[None]]


def for_patient(
    handler: PatientHandler,
) -> Callable[[Message, CommandObject, Desk], Awaitable[None]]:
    """A command about one patient: the topic's, or the code given; else a short how-to."""

    async def resolved(message: Message, command: CommandObject, desk: Desk) -> None:
        found = await _patient(message, desk, command)
        if found is not None:
            await handler(message, command, desk, *found)

    resolved.__name__ = handler.__name__
    return resolved
