"""Steps a patient takes, shared by the black-box tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.content import Catalog
from bot.content.schema import Form, ItemKind
from tests.harness import BotUnderTest, Phone

TEXT_ANSWERS = {
    "sv": "Jag vill komma tillbaka, men i lugn takt.",
    "en": "I want to return, slowly.",
}


async def join(
    bot: BotUnderTest, phone: Phone, language: str = "sv", first_module: int | None = 1,
    sick_leave_start: date | None = None,
) -> str:  # fmt: skip
    """A patient invited to start with `first_module`, joined: it is open for them."""
    pseudonym, code = await bot.invite(
        language, first_module=first_module, sick_leave_start=sick_leave_start
    )
    await phone.send(f"/start {code}")
    await phone.do("lang", language)
    await phone.do("consent", "yes")
    await phone.do("ok")
    return pseudonym


async def open_form(bot: BotUnderTest, phone: Phone, module: int, page: str, form: str) -> str:
    """A new patient invited to start in `module`, at the start of `form` (on `page`)."""
    pseudonym = await join(bot, phone, first_module=module)
    await phone.send("/menu")
    await phone.do("mod", str(module))
    await phone.do("toc", str(module))
    await phone.do("page", f"{module}.{page}")
    await phone.do("form", f"{module}.{form}")
    return pseudonym


async def fill_current_form(phone: Phone, form: Form, language: str) -> dict[str, Any]:
    """Answer every question the form asks, then send it from the review screen."""
    given: dict[str, Any] = {}
    for item in form.items:
        if item.kind in (ItemKind.SCALE,):
            value = item.max if item.not_applicable is None else 3
            await phone.do("ans", str(value))
            given[item.id] = value
        elif item.kind == ItemKind.CHOICE:
            await phone.do("ans", item.options[0].id)
            given[item.id] = item.options[0].id
        elif item.kind == ItemKind.MULTI:
            await phone.do("tog", item.options[0].id)
            await phone.do("tog", item.options[1].id)
            await phone.do("done")
            given[item.id] = [item.options[0].id, item.options[1].id]
        elif item.kind == ItemKind.NUMBER:
            await phone.send(str(item.min))
            given[item.id] = item.min
        elif item.kind == ItemKind.DATE:
            await phone.send("2027-01-15")
            given[item.id] = "2027-01-15"
        elif item.kind == ItemKind.TEXT:
            await phone.send(TEXT_ANSWERS[language])
            given[item.id] = TEXT_ANSWERS[language]
        elif item.kind == ItemKind.ACTIVITIES:
            await phone.send("Promenad varje dag" if language == "sv" else "A daily walk")
            await phone.do("ans", "me")
            await phone.send("2027-02-01")
            await phone.do("fin")
            given[item.id] = 1
    await phone.do("send")
    return given


async def read_module(phone: Phone, catalog: Catalog, module: int, language: str) -> list[str]:
    """From the home screen through every page of a module, filling in every form."""
    await phone.do("mod", str(module))
    sent: list[str] = []
    pages = catalog.module(module).pages
    for index, page in enumerate(pages):
        assert page.title(language) in phone.screen.text
        assert f"{index + 1}" in phone.screen.text
        if page.form:
            await phone.do("form", f"{module}.{page.form}")
            await fill_current_form(phone, catalog.forms[page.form], language)
            sent.append(page.form)
            await phone.do("page", f"{module}.{page.id}")
        if index + 1 < len(pages):
            await phone.do("page", f"{module}.{pages[index + 1].id}")
    return sent
