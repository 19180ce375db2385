"""The house's one-way dependencies (docs/architecture.md), read from the imports: a module
that imports against the grain fails here, with the import named."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"

# What each layer must never import. dialogs -> services -> texts -> domain/db; delivery and
# the scheduler call services and texts, never dialogs.
FORBIDDEN = {
    "domain": ("bot.services", "bot.dialogs", "bot.delivery", "bot.texts", "bot.db.session",
               "bot.scheduler", "bot.app"),
    "texts": ("bot.services", "bot.dialogs", "bot.delivery", "bot.db.session", "bot.scheduler",
              "bot.app"),
    "services": ("bot.dialogs", "bot.delivery", "bot.scheduler", "bot.app"),
    "db": ("bot.services", "bot.dialogs", "bot.delivery", "bot.texts", "bot.scheduler",
           "bot.app"),
    "delivery": ("bot.dialogs", "bot.scheduler", "bot.app"),
    "scheduler.py": ("bot.dialogs", "bot.app"),
}  # fmt: skip


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def modules_of(layer: str) -> list[Path]:
    target = BOT / layer
    return [target] if target.is_file() else sorted(target.rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_imports_run_one_way(layer: str) -> None:
    against = [
        f"{path.relative_to(BOT.parent)} imports {name}"
        for path in modules_of(layer)
        for name in sorted(imports_of(path))
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[layer])
    ]
    assert not against, "\n".join(against)


def test_the_rule_sees_an_import_against_the_grain(tmp_path: Path) -> None:
    module = tmp_path / "leaning.py"
    module.write_text("from bot.dialogs.presenter import show\nimport bot.delivery.sender\n")
    assert {"bot.dialogs.presenter", "bot.delivery.sender"} <= imports_of(module)
