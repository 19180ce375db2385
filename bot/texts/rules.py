"""Why a module change was refused, said once for the staff chat and the command line."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.domain.navigation import ModuleRule, ModuleRuleError


def module_rule(error: ModuleRuleError) -> str:
    return {
        ModuleRule.NO_SUCH_MODULE: _("There is no module {module}."),
        ModuleRule.ALREADY_ACTIVE: _("Module {module} is already active."),
        ModuleRule.CLASHES: _(
            "Module {module} cannot run alongside module {other}: finish that one first."
        ),
        ModuleRule.NOT_ACTIVE: _("Module {module} is not active."),
    }[error.rule].format(module=error.module, other=error.other)
