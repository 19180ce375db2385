"""The patient's way through the program: what each button or typed answer does.

Methods here change the patient's location, drafts and responses and return a Notice for
the dialog layer to word; they know nothing of Telegram.
"""

from __future__ import annotations

from bot.services.journey.base import Notice, NoticeKind
from bot.services.journey.forms import FormSteps
from bot.services.journey.program import ProgramSteps
from bot.services.journey.sharing import SharingSteps

__all__ = ["Journey", "Notice", "NoticeKind"]


class Journey(ProgramSteps, FormSteps, SharingSteps):
    """One patient's request: onboarding, the program's pages, its forms, and the consent
    to share."""
