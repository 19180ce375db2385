"""The patient's consent to share, from their side: seen, given (their own form) and
withdrawn at any time. The coordinator hears of a change in the topic, and the card is
redrawn in the same transaction."""

from __future__ import annotations

from typing import Any

from bot.domain.navigation import Location, Screen
from bot.domain.sharing import FORM_ID
from bot.services import cards, heads_up, sharing
from bot.services.journey.base import JourneyBase, Notice, NoticeKind
from bot.texts import sharing as words


class SharingSteps(JourneyBase):
    def sharing(self) -> None:
        self.go(Location(screen=Screen.SHARING))

    async def withdraw_sharing(self) -> Notice:
        now = self.ctx.clock()
        self.go(Location(screen=Screen.SHARING))
        if not await sharing.withdraw(self.session, self.patient.key, now):
            return Notice(NoticeKind.MOVED_ON)
        with self.ctx.staff_speaking():
            line = "⛔ " + words.withdrawn_by_patient()
        key = f"consent-withdrawn:{self.patient.key}:{now.isoformat()}"
        await heads_up.tell_topic(self.session, self.ctx, self.patient, key, "consent", line)
        await cards.changed(self.session, self.ctx, self.patient)
        return Notice(NoticeKind.WITHDRAWN)

    async def _sharing_sent(self, form_id: str, answers: dict[str, Any]) -> None:
        """The patient's consent form, sent: the consent in force from now."""
        if form_id == FORM_ID:
            await sharing.from_form(
                self.session, self.ctx.vault, self.patient, answers, self.ctx.clock()
            )
