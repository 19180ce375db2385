"""Home, modules, pages, contents, pauses and the patient's submitted answers."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.db.models import PatientStatus
from bot.dialogs.chart import wellbeing_chart
from bot.dialogs.filters import HasStatus, OnCurrentScreen
from bot.dialogs.patient.common import Turn
from bot.domain.navigation import Location, Screen
from bot.domain.scoring import shown
from bot.services import overview, program
from bot.texts.callbacks import Act, Op
from bot.texts.patient import urgent_line


def _module_and_rest(arg: str) -> tuple[int, str]:
    number, _sep, rest = arg.partition(".")
    return (int(number) if number.isdigit() else 0), rest


async def menu(message: Message, turn: Turn) -> None:
    program.move(turn.patient, Location(screen=Screen.HOME))
    await turn.show()


async def help_command(message: Message, turn: Turn) -> None:
    settings = turn.ctx.settings
    support = settings.support_contact or _("your rehabilitation coordinator")
    await message.answer(
        _(
            "<b>Help</b>\n\n"
            "• /menu – your modules and where you are\n"
            "• /language – change language\n"
            "• /reminders – turn reminders on or off\n"
            "• /help – this help\n\n"
            "Use the buttons under each message to move on. Your answers are saved at "
            "every step, so you can stop at any time and go on later."
        )
        + "\n\n"
        + urgent_line(settings)
        + "\n"
        + _("Technical trouble: contact {support}.").format(support=support)
    )
    await turn.show()


async def home(query: CallbackQuery, turn: Turn) -> None:
    program.move(turn.patient, Location(screen=Screen.HOME))
    await turn.after_button(query)


async def open_module(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    module, _rest = _module_and_rest(callback_data.arg)
    await turn.after_button(query, await turn.journey.open_module(module))


async def open_page(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    module, page_id = _module_and_rest(callback_data.arg)
    await turn.after_button(query, await turn.journey.open_module(module, page_id))


async def contents(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    module, _rest = _module_and_rest(callback_data.arg)
    await turn.after_button(query, await turn.journey.contents(module))


async def pause(query: CallbackQuery, turn: Turn) -> None:
    await turn.journey.pause()
    await turn.after_button(query)


async def remind_tomorrow(query: CallbackQuery, turn: Turn) -> None:
    await turn.after_button(query, await turn.journey.remind_tomorrow())


async def reminders(message: Message, turn: Turn) -> None:
    await turn.show(turn.journey.toggle_nudges())


async def open_form(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    module, form_id = _module_and_rest(callback_data.arg)
    again = callback_data.op == Op.AGAIN
    await turn.after_button(query, await turn.journey.open_form(module, form_id, again))


async def my_chart(query: CallbackQuery, turn: Turn) -> None:
    """The patient's WHO-5 scores as a chart, sent below the screen, which stays."""
    ctx = turn.ctx
    series = await overview.wellbeing_series(turn.session, ctx.vault, turn.patient)
    if not series or not isinstance(query.message, Message):
        await query.answer(_("You have not filled in the wellbeing form yet."), show_alert=True)
        return
    await query.answer(_("Drawing your chart…"))
    await turn.session.commit()  # nothing to write: the drawing holds no connection
    form = ctx.catalog.forms[overview.WELLBEING]
    language = turn.patient.language
    png = await wellbeing_chart(form, series, ctx.settings.tz, language, _("My wellbeing"))
    scores = " → ".join(shown(score) for _when, score in series)
    caption = _(
        "Your wellbeing (WHO-5) over time: {scores}. The coloured bands show what the scores mean."
    )
    await query.message.answer_photo(
        BufferedInputFile(png, "my-wellbeing.png"), caption="📈 " + caption.format(scores=scores)
    )


async def my_plan(query: CallbackQuery, turn: Turn) -> None:
    turn.journey.plan()
    await turn.after_button(query)


async def sharing(query: CallbackQuery, turn: Turn) -> None:
    turn.journey.sharing()
    await turn.after_button(query)


async def withdraw_sharing(query: CallbackQuery, turn: Turn) -> None:
    await turn.after_button(query, await turn.journey.withdraw_sharing())


async def my_answers(query: CallbackQuery, turn: Turn) -> None:
    turn.journey.my_answers()
    await turn.after_button(query)


async def show_response(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    number = int(callback_data.arg) if callback_data.arg.isdigit() else 0
    await turn.after_button(query, await turn.journey.show_response(number))


def router() -> Router:
    built = Router(name="program")
    built.message.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.filter(HasStatus(PatientStatus.ACTIVE))
    built.message.register(menu, Command("menu"))
    built.message.register(help_command, Command("help"))
    built.message.register(reminders, Command("reminders"))
    built.callback_query.register(home, Act.filter(F.op == Op.HOME), OnCurrentScreen())
    built.callback_query.register(open_module, Act.filter(F.op == Op.MODULE), OnCurrentScreen())
    built.callback_query.register(open_page, Act.filter(F.op == Op.PAGE), OnCurrentScreen())
    built.callback_query.register(contents, Act.filter(F.op == Op.CONTENTS), OnCurrentScreen())
    built.callback_query.register(pause, Act.filter(F.op == Op.PAUSE), OnCurrentScreen())
    built.callback_query.register(
        remind_tomorrow, Act.filter(F.op == Op.REMIND), OnCurrentScreen()
    )
    built.callback_query.register(
        open_form, Act.filter(F.op.in_({Op.FORM, Op.AGAIN})), OnCurrentScreen()
    )
    built.callback_query.register(my_answers, Act.filter(F.op == Op.MY_ANSWERS), OnCurrentScreen())
    built.callback_query.register(sharing, Act.filter(F.op == Op.SHARING), OnCurrentScreen())
    built.callback_query.register(my_plan, Act.filter(F.op == Op.PLAN), OnCurrentScreen())
    built.callback_query.register(my_chart, Act.filter(F.op == Op.CHART), OnCurrentScreen())
    built.callback_query.register(
        withdraw_sharing, Act.filter(F.op == Op.WITHDRAW), OnCurrentScreen()
    )
    built.callback_query.register(
        show_response, Act.filter(F.op == Op.RESPONSE), OnCurrentScreen()
    )
    return built
