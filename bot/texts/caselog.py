"""The case log's words: the reasons for declining (the patient's buttons and the log's
column alike), and the overview's labels. Called in the locale of whoever reads them."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.domain.caselog import REASONS, CaseStatus, DeclineReason


def decline_reason_label(reason: DeclineReason | str) -> str:
    labels = {
        DeclineReason.NOT_NEEDED: _("I do not need support now"),
        DeclineReason.OTHER_SUPPORT: _("I already get support elsewhere"),
        DeclineReason.NO_ENERGY: _("I do not have the time or energy now"),
        DeclineReason.NOT_DIGITAL: _("I do not want support by chat"),
        DeclineReason.OTHER: _("Another reason"),
        DeclineReason.UNSAID: _("I would rather not say"),
    }
    return labels[DeclineReason(reason)] if reason in REASONS else ""


def status_label(status: CaseStatus | str) -> str:
    return {
        CaseStatus.OFFERED: _("offered, not started"),
        CaseStatus.ACCEPTED: _("accepted"),
        CaseStatus.DECLINED: _("declined"),
    }[CaseStatus(status)]


def ended_label(ended_by: str) -> str:
    """How the support ended, as the log's column says it."""
    return {
        "program": _("Program finished"),
        "erasure": _("At the patient's request"),
    }.get(ended_by, ended_by)


def sex_label(value: str | None) -> str:
    return {"female": _("Woman"), "male": _("Man"), "other": _("Other / not stated")}.get(
        value or "", "–"
    )


def group_label(value: str | None) -> str:
    return {"mental": _("Mental ill-health"), "pain": _("Pain"), "both": _("Both")}.get(
        value or "", "–"
    )
