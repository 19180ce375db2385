"""What a patient in danger is told, and the direct question when a message may signal
risk. Said the same way wherever it is said; called inside the patient's locale."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.context import AppContext
from bot.domain.triage_levels import Level
from bot.texts import patient as fmt


def alarm_answer(ctx: AppContext, language: str, level: Level) -> str:
    """112 and the crisis lines for an acute message; the clinic today for an urgent one.
    Out of office hours it says so: nobody reads here now."""
    settings = ctx.settings
    if level == Level.ACUTE:
        answer = fmt.acute_help(ctx) + "\n\n" + _("Your coordinator has been alerted.")
    else:
        answer = "🟠 " + _(
            "If this cannot wait, call {clinic} on {phone} today, or 1177. In an emergency, "
            "call 112. Your coordinator gets your message."
        ).format(clinic=settings.clinic_name, phone=settings.clinic_phone)
    closed = fmt.closed_line(ctx, language)
    if closed:
        answer += (
            "\n\n" + closed + " " + _("Do not wait for an answer here: use the numbers above.")
        )
    return answer


def direct_question() -> str:
    return "💛 " + _(
        "I want to ask you directly, because it matters: are you having thoughts of ending "
        "your life or harming yourself, or are you in danger right now?"
    )


def thanks_for_answering(ctx: AppContext) -> str:
    thanks = _("Thank you for answering. Your message has been passed to your coordinator.")
    return f"{thanks}\n\n{fmt.urgent_line(ctx.settings)}"
