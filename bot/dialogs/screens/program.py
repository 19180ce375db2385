"""Home, the modules' pages, their contents and pauses; writing to the coordinator, urgent
help and erasure."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from bot.content.schema import Form, Module, PageKind
from bot.db.models import ModuleStatus
from bot.dialogs.screens.base import ScreenBase, grid
from bot.domain.navigation import Location, resolve_page
from bot.domain.sharing import FORM_ID as SHARING_FORM
from bot.services import form_requests, plans, program, sharing, staff
from bot.services import forms as form_store
from bot.texts import patient as fmt
from bot.texts import plan as plan_words
from bot.texts import sharing as words
from bot.texts.callbacks import Op


class ProgramScreens(ScreenBase):
    async def home(self, _here: Location) -> str:
        progress = await program.module_progress(self.session, self.patient.key)
        lines = [_("<b>Sjukskrivningskollen</b> – your modules:"), ""]
        for number, module in self.ctx.catalog.modules.items():
            title = escape(module.title(self.language))
            state = progress.get(number)
            if state is None:
                lines.append(
                    _("🔒 {number}. {title} – not open yet").format(number=number, title=title)
                )
                continue
            at = resolve_page(module, state.page_id) + 1
            where = _("page {at} of {total}").format(at=at, total=len(module.pages))
            if state.status == ModuleStatus.FINISHED:
                lines.append(
                    _("✔️ {number}. {title} – finished").format(number=number, title=title)
                )
            else:
                lines.append(f"📖 {number}. {title} – {where}")
            self.button(f"{number}. {module.title(self.language)}", Op.MODULE, number)
        if not progress:
            lines += ["", _("Your coordinator will open your first module soon.")]
        await self._sent_forms(lines)
        if not await sharing.ever_agreed(self.session, self.patient.key):
            offer = _("Consent to share: you decide whom your coordinator may talk with.")
            lines += ["", "🤝 " + offer]
        self.button(_("🎯 My plan"), Op.PLAN)
        self.button(_("🗂 My answers"), Op.MY_ANSWERS)
        self.button(_("🤝 Consent to share"), Op.SHARING)
        self.button(_("✉️ Write to my coordinator"), Op.WRITE)
        self.button(_("🆘 It's urgent"), Op.URGENT)
        self.row(1)
        return "\n".join(lines)

    async def _sent_forms(self, lines: list[str]) -> None:
        """The forms the coordinator asked for and the patient has not sent yet."""
        for request in await form_requests.open_requests(self.session, self.patient.key):
            form = self.ctx.catalog.forms.get(request.form_id)
            if form is None:
                continue
            title = form.title(self.language)
            lines += ["", "📋 " + _("Your coordinator asks you to fill in: {title}").format(
                title=escape(title)
            )]  # fmt: skip
            self.button(f"📋 {title}", Op.FORM, f"{form_requests.SENT}.{form.id}")

    async def plan(self, _here: Location) -> str:
        found = await plans.plan_of(self.session, self.ctx.vault, self.patient)
        self.button(_("🏠 Home"), Op.HOME)
        self.row(1)
        head = "🎯 <b>" + _("My rehabilitation plan") + "</b>"
        return head + "\n\n" + plan_words.whole(found, self.language, for_staff=False)

    async def sharing(self, _here: Location) -> str:
        form = self.ctx.catalog.forms[SHARING_FORM]
        consent = await sharing.current(self.session, self.ctx.vault, self.patient.key)
        now = self.ctx.clock()
        state = words.patient_state(form, consent, now, self.language, self.ctx.settings.tz)
        in_force = consent is not None and consent.in_force(now)
        self.button(
            _("✏️ Change whom") if in_force else _("✅ Choose whom"),
            Op.FORM,
            f"{form_requests.SENT}.{SHARING_FORM}",
        )
        if in_force:
            self.button(_("Withdraw my consent"), Op.WITHDRAW)
        self.button(_("🏠 Home"), Op.HOME)
        self.row(1)
        return "\n\n".join(
            [
                f"🤝 <b>{escape(form.title(self.language))}</b>",
                state,
                escape(form.intro(self.language)),
            ]
        )

    async def write(self, _here: Location) -> str:
        self.button(_("🏠 Home"), Op.HOME)
        back = await staff.responsible_back(self.session, self.patient, self.ctx.today().date())
        expect = fmt.expected_answer(self.ctx, self.patient, back)
        return (
            _(
                "✉️ <b>Write to your coordinator</b>\n\nWrite your message here in the chat; "
                "you can also send a photo, a voice message or a document. Your coordinator "
                "reads it and answers here."
            )
            + "\n\n"
            + expect
            + "\n\n"
            + fmt.urgent_line(self.ctx.settings)
        )

    async def erase(self, _here: Location) -> str:
        self.button(_("Yes, delete everything"), Op.ERASE, "1")
        self.button(_("No, keep it"), Op.HOME)
        self.row(1)
        return _(
            "🗑 <b>Delete everything?</b>\n\nEverything you have written and answered here is "
            "deleted, and you leave the program. Your coordinator is told. Send /export first "
            "if you want to keep a copy."
        )

    async def erase_confirm(self, _here: Location) -> str:
        self.button(_("Delete now"), Op.ERASE, "2")
        self.button(_("No, keep it"), Op.HOME)
        self.row(1)
        return _("🗑 <b>Are you sure?</b> This cannot be undone.")

    async def urgent(self, _here: Location) -> str:
        self.button(_("✉️ Write to my coordinator"), Op.WRITE)
        self.button(_("🏠 Home"), Op.HOME)
        self.row(1)
        return fmt.acute_help(self.ctx)

    async def _module_page(self, here: Location) -> tuple[Module, int]:
        module = self.ctx.catalog.module(here.module or 1)
        return module, resolve_page(module, here.page)

    async def page(self, here: Location) -> str:
        module, index = await self._module_page(here)
        page = module.pages[index]
        language = self.language
        widths: list[int] = []
        if page.form:
            await self._form_button(module.number, self.ctx.catalog.forms[page.form])
            widths.append(1)
        if page.kind == PageKind.PAUSE:
            self.button(_("⏸ Take a break"), Op.PAUSE)
            widths.append(1)
        nav = 0
        if index > 0:
            self.button(_("◀ Back"), Op.PAGE, f"{module.number}.{module.pages[index - 1].id}")
            nav += 1
        self.button(_("☰ Contents"), Op.CONTENTS, module.number)
        nav += 1
        if index + 1 < len(module.pages):
            label = _("Continue ▶") if page.kind == PageKind.PAUSE else _("Next ▶")
            self.button(label, Op.PAGE, f"{module.number}.{module.pages[index + 1].id}")
        else:
            self.button(_("🏠 Home"), Op.HOME)
        nav += 1
        self.row(*widths, nav)
        header = _("Module {number} · {title}\nPage {at} of {total}").format(
            number=module.number,
            title=escape(module.title(language)),
            at=index + 1,
            total=len(module.pages),
        )
        text = f"<i>{header}</i>\n\n<b>{escape(page.title(language))}</b>\n\n"
        text += escape(page.body(language))
        if page.sources:
            names = "; ".join(escape(source.title) for source in page.sources)
            text += "\n\n<i>" + _("Source: {names}").format(names=names) + "</i>"
        return text

    async def _form_button(self, module: int, form: Form) -> None:
        done = await form_store.answered(self.session, self.patient.key, module, form.id)
        title = form.title(self.language)
        label = _("✅ {title} – see your answers") if done else _("📝 Fill in: {title}")
        self.button(label.format(title=title), Op.FORM, f"{module}.{form.id}")

    async def contents(self, here: Location) -> str:
        module, index = await self._module_page(here)
        lines = [f"<b>{module.number}. {escape(module.title(self.language))}</b>", ""]
        for number, page in enumerate(module.pages, start=1):
            marker = "▶️" if number - 1 == index else f"{number}."
            lines.append(f"{marker} {escape(page.title(self.language))}")
            self.button(str(number), Op.PAGE, f"{module.number}.{page.id}")
        self.button(_("🏠 Home"), Op.HOME)
        self.row(*grid(len(module.pages), 5), 1)
        return "\n".join(lines)

    async def paused(self, here: Location) -> str:
        module, index = await self._module_page(here)
        following = module.pages[min(index + 1, len(module.pages) - 1)]
        self.button(_("▶ Continue now"), Op.PAGE, f"{module.number}.{following.id}")
        self.button(_("⏰ Remind me tomorrow"), Op.REMIND)
        self.button(_("🏠 Home"), Op.HOME)
        self.row(1)
        return _(
            "Good idea to take a break. Your place is saved: when you come back, open "
            "/menu and you continue from here."
        )
