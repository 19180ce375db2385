"""/export: the patient's own material as a PDF to keep (answers, plan, wellbeing chart)."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from bot.db.models import PatientStatus
from bot.dialogs.chart import wellbeing_chart
from bot.dialogs.filters import HasStatus
from bot.dialogs.patient.common import Turn
from bot.domain.summaries import Submitted
from bot.services import forms as form_store
from bot.services import overview, plans
from bot.texts import patient as fmt
from bot.texts import plan as plan_words

_TAGS = re.compile(r"<[^>]+>")


def _plain(html: str) -> str:
    return unescape(_TAGS.sub("", html))


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


async def build_pdf(turn: Turn) -> bytes:
    """A4 pages in the patient's language; DejaVu fonts (shipped with matplotlib) carry
    Swedish letters."""
    from fpdf import FPDF

    ctx, patient, language = turn.ctx, turn.patient, turn.patient.language
    pdf = FPDF(format="A4")

    def line(height: float, text: str) -> None:
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    pdf.set_auto_page_break(auto=True, margin=15)
    fonts = _font_dir()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    line(9, _("Sjukskrivningskollen – my material"))
    pdf.set_font("DejaVu", "", 10)
    today = format_date(ctx.today().date(), format="long", locale=language)
    line(6, _("Saved {day}. Keep it somewhere safe.").format(day=today))
    pdf.ln(4)
    responses = await form_store.responses(turn.session, ctx.vault, patient.key)
    latest: dict[str, Submitted] = {}
    for response in responses:  # newest first
        latest.setdefault(response.form_id, response)
    for response in reversed(list(latest.values())):
        form = ctx.catalog.forms.get(response.form_id)
        if form is None:
            continue
        pdf.set_font("DejaVu", "B", 12)
        line(7, form.title(language))
        pdf.set_font("DejaVu", "", 10)
        score = fmt.score_block(form, response.score, language)
        if score:
            line(5, _plain(score))
        for item in form.items:
            if item.id not in response.answers:
                continue
            pdf.set_font("DejaVu", "B", 10)
            line(5, item.prompt(language))
            pdf.set_font("DejaVu", "", 10)
            answer = fmt.answer_text(item, response.answers[item.id], language)
            line(5, _plain(answer))
            pdf.ln(1)
        pdf.ln(3)
    plan = await plans.plan_of(turn.session, ctx.vault, patient)
    if plan.has_content or plan.notes:
        pdf.set_font("DejaVu", "B", 12)
        line(7, _("My rehabilitation plan"))
        pdf.set_font("DejaVu", "", 10)
        line(5, _plain(plan_words.whole(plan, language, for_staff=False)))
        pdf.ln(3)
    series = await overview.wellbeing_series(turn.session, ctx.vault, patient)
    if series:
        form = ctx.catalog.forms[overview.WELLBEING]
        title = _("My wellbeing over time")
        png = await wellbeing_chart(form, series, ctx.settings.tz, language, title)
        pdf.add_page()
        pdf.image(io.BytesIO(png), w=180)
    return bytes(pdf.output())


async def export(message: Message, turn: Turn) -> None:
    pdf = await build_pdf(turn)
    await message.answer_document(
        BufferedInputFile(pdf, f"sjukskrivningskollen-{turn.patient.pseudonym}.pdf"),
        caption=_("📄 Your answers, plan and wellbeing chart, to keep."),
    )


def router() -> Router:
    built = Router(name="export")
    built.message.register(
        export, Command("export"), HasStatus(PatientStatus.ACTIVE, PatientStatus.LAPSED)
    )
    return built
