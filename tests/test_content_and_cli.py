"""The content check, wording packs, migrations and the coordinator's CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.content import CONTENT_DIR, ContentError, load_catalog
from bot.db import migrate
from bot.db.session import create_engine


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    import os

    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def test_content_check_reports_every_page_in_both_languages() -> None:
    done = run_cli("content", "check")
    assert done.returncode == 0, done.stderr
    assert "45 pages in 5 modules" in done.stdout and "sv and en" in done.stdout


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "modules/module1.yaml",
            '    title: {sv: "Välkommen", en: "Welcome"}\n',
            '    title: {sv: "Välkommen"}\n',
            "module1.yaml: pages.0.title.en: Field required",
        ),
        (
            "forms/wai.yaml",
            "    min: 0\n    max: 10\n",
            "    min: 10\n    max: 0\n",
            "wai.yaml: items.0: Value error, scale item needs min < max",
        ),
        (
            "modules/module2.yaml",
            "form: wai\n",
            "form: no_such_form\n",
            "form 'no_such_form' does not exist",
        ),
    ],
)
def test_a_broken_content_file_names_the_file_and_field(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    target = root / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert expected in str(_load_error(root))


def _load_error(root: Path) -> ContentError:
    try:
        load_catalog(root)
    except ContentError as error:
        return error
    raise AssertionError("the broken content loaded")


def test_a_licensed_wording_pack_replaces_the_project_wording(tmp_path: Path) -> None:
    (tmp_path / "WHO-5.sv.yaml").write_text(
        "name: WHO-5 (licensierad svensk version)\nitems:\n  q1: Licensierad formulering 1\n",
        encoding="utf-8",
    )
    catalog = load_catalog(pack_dir=tmp_path)
    form = catalog.forms["wellbeing"]
    assert form.items[0].prompt("sv") == "Licensierad formulering 1"
    assert form.items[0].prompt("en").startswith("Over the last two weeks")
    assert catalog.wording("wellbeing", "sv") == "WHO-5 (licensierad svensk version)"
    assert catalog.wording("wellbeing", "en") == "project"
    done = run_cli("content", "check", "--packs", str(tmp_path))
    assert "wording pack for wellbeing (sv)" in done.stdout
    (tmp_path / "WHO-5.sv.yaml").write_text("name: x\nitems:\n  q9: nope\n", encoding="utf-8")
    with pytest.raises(ContentError, match="unknown item ids"):
        load_catalog(pack_dir=tmp_path)


async def test_migrations_go_up_down_and_up_again(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'stairway.sqlite3'}")
    await migrate.upgrade(engine)
    await migrate.downgrade(engine, "base")
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    assert set(tables) <= {"alembic_version"}
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    assert {"patient", "formresponse", "formdraft", "moduleprogress"} <= set(tables)
    await engine.dispose()


async def test_the_migrations_build_exactly_the_tables_the_models_describe(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import bot.db.models  # noqa: F401 - the tables register themselves

    engine = create_engine(f"sqlite:///{tmp_path / 'drift.sqlite3'}")
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        drift = await connection.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c), SQLModel.metadata)
        )
    await engine.dispose()
    assert drift == [], "a model changed without a migration"


def test_run_without_a_token_explains_how_to_get_one(tmp_path: Path) -> None:
    done = run_cli("run", env={"BOT_TOKEN": "", "DATA_DIR": str(tmp_path)}, cwd=tmp_path)
    assert done.returncode == 2
    assert "@BotFather" in done.stderr and "Traceback" not in done.stderr
    malformed = run_cli("run", env={"BOT_TOKEN": "nope", "DATA_DIR": str(tmp_path)}, cwd=tmp_path)
    assert malformed.returncode == 2 and "does not look like a token" in malformed.stderr


def test_invite_and_module_commands(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DATA_DIR": str(tmp_path),
        "BOT_USERNAME": "SjkBot",
        "BOT_TOKEN": "",
    }
    made = run_cli(
        "invite", "--lang", "en", "--pseudonym", "P-TEST1", "--module", "2", env=env, cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    assert "https://t.me/SjkBot?start=" in made.stdout and "P-TEST1" in made.stdout
    assert "module 2 opens as they join" in made.stdout
    assert run_cli("module", "activate", "P-TEST1", "1", env=env, cwd=tmp_path).returncode == 0
    clash = run_cli("module", "activate", "P-TEST1", "3", env=env, cwd=tmp_path)
    assert clash.returncode == 1 and "finish that one first" in clash.stderr
    assert run_cli("module", "finish", "P-TEST1", "1", env=env, cwd=tmp_path).returncode == 0
    assert run_cli("module", "activate", "P-TEST1", "2", env=env, cwd=tmp_path).returncode == 0
    assert run_cli("module", "activate", "P-TEST1", "3", env=env, cwd=tmp_path).returncode == 0
    unknown = run_cli("module", "activate", "P-NOBODY", "1", env=env, cwd=tmp_path)
    assert unknown.returncode == 1 and "no patient" in unknown.stderr


def test_units_and_the_invite_with_the_dialogs_checks(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DATA_DIR": str(tmp_path),
        "BOT_USERNAME": "SjkBot",
        "BOT_TOKEN": "",
        "STAFF_CHAT_ID": "-1001",
    }
    added = run_cli("unit", "add", "Nybro", "-1002", "--allow", "55", env=env, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    again = run_cli("unit", "add", "Nybro", "-1002", env=env, cwd=tmp_path)
    assert again.returncode == 1 and "exists already" in again.stderr
    listed = run_cli("unit", "list", env=env, cwd=tmp_path).stdout
    assert "-1001" in listed and "-1002\tNybro" in listed

    invited = run_cli(
        "invite", "--unit", "-1002", "--sex", "male", "--group", "pain",
        "--sick-leave-start", "2026-11-01", "--first-contact", "2030-01-07 10:00",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert invited.returncode == 0, invited.stderr
    # The same rule as in the staff chat: nothing that could be a personal identity number.
    refused = run_cli("invite", "--pseudonym", "19850101-1234", env=env, cwd=tmp_path)
    assert refused.returncode == 1 and "identity_like" in refused.stderr
    nowhere = run_cli("invite", "--unit", "-1999", env=env, cwd=tmp_path)
    assert nowhere.returncode == 1 and "no care unit" in nowhere.stderr
