"""python -m bot <command>: run the bot, migrate, check content, score, and coordinator tasks."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.config import Settings
from bot.report_cli import add_report_commands

EXIT_USAGE = 2
BOTFATHER_HELP = """\
BOT_TOKEN is not set, so the bot cannot connect to Telegram.

Get a token: open Telegram, talk to @BotFather, send /newbot and follow the steps.
Then start the bot with it, for example:

    BOT_TOKEN=123456:ABC-your-token make run

or put BOT_TOKEN=... in a file named .env in this folder."""


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]).upper()
        sys.exit(f"Setting {field} is not valid: {first['msg']}")


def cmd_run(_args: argparse.Namespace) -> int:
    settings = _settings()
    if settings.bot_token is None:
        print(BOTFATHER_HELP, file=sys.stderr)
        return EXIT_USAGE
    from aiogram.utils.token import TokenValidationError, validate_token

    try:
        validate_token(settings.bot_token.get_secret_value())
    except TokenValidationError:
        print("BOT_TOKEN does not look like a token.\n\n" + BOTFATHER_HELP, file=sys.stderr)
        return EXIT_USAGE
    from bot.app import run_polling

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # aiogram logs every handled update at INFO: noise in the log, and time on a busy bot.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    asyncio.run(run_polling(settings))
    return 0


def cmd_migrate(_args: argparse.Namespace) -> int:
    from bot.db import migrate
    from bot.db.session import create_engine

    async def go() -> None:
        engine = create_engine(_settings().database_url)
        await migrate.upgrade(engine)
        await engine.dispose()

    asyncio.run(go())
    print("database is at the latest schema")
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    from bot.content import ContentError, load_catalog
    from bot.locales import check_catalogues

    settings = _settings()
    try:
        catalog = load_catalog(pack_dir=args.packs or settings.wording_pack_dir)
        check_catalogues()
    except ContentError as error:
        print(f"content check failed: {error}", file=sys.stderr)
        return 1
    pages = catalog.page_count
    modules = len(catalog.modules)
    print(
        f"content ok: {pages} pages in {modules} modules, {len(catalog.forms)} forms, "
        f"in sv and en (version {catalog.version})"
    )
    for (form_id, language), name in sorted(catalog.packs.items()):
        print(f"  wording pack for {form_id} ({language}): {name}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from bot.content import load_catalog
    from bot.domain.scoring import ScoringError, score

    catalog = load_catalog()
    try:
        form = catalog.instrument(args.instrument)
    except KeyError as error:
        print(error.args[0], file=sys.stderr)
        return EXIT_USAGE
    try:
        answers: Any = json.loads(args.answers)
    except json.JSONDecodeError as error:
        print(f"answers are not valid JSON: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not isinstance(answers, dict):
        print("answers must be a JSON object of item id to answer", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = score(form, answers)
    except ScoringError as error:
        print(f"cannot score {form.instrument}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result.as_dict(), ensure_ascii=False))
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    from bot.cli import invite

    answers = {
        "pseudonym": args.pseudonym,
        "language": args.lang,
        "sex": args.sex,
        "age_band": args.age_band,
        "sick_leave_start": args.sick_leave_start,
        "target_group": args.group,
        "contact_way": args.contact_way,
        "first_contact": args.first_contact,
        "first_module": args.module,
        "criteria": args.criteria,
    }
    return asyncio.run(invite(_settings(), answers, args.unit))


def cmd_unit_add(args: argparse.Namespace) -> int:
    from bot.cli import add_unit

    return asyncio.run(
        add_unit(
            _settings(),
            name=args.name,
            chat_id=args.chat_id,
            signature=args.signature,
            fallback=args.fallback_chat_id,
            allow=args.allow or [],
        )
    )


def cmd_unit_list(_args: argparse.Namespace) -> int:
    from bot.cli import list_units

    return asyncio.run(list_units(_settings()))


def cmd_module(args: argparse.Namespace) -> int:
    from bot.cli import change_module

    return asyncio.run(change_module(_settings(), args.action, args.patient, args.module))


_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TRAINING_PARTS = (
    _DATA / "triage_set.yaml",  # the first set, kept as a regression test
    _DATA / "triage" / "tuning.yaml",
)
LABELLED_PARTS = (
    *TRAINING_PARTS,
    _DATA / "triage" / "heldout.yaml",  # written first, never tuned on
    _DATA / "triage" / "unseen.yaml",  # written after the triage was built, never tuned on
    _DATA / "triage" / "unseen2.yaml",  # written after the last change, measured once
    _DATA / "triage" / "unseen3.yaml",  # written before the second opinion, measured once
)


def cmd_triage_evaluate(args: argparse.Namespace) -> int:
    import yaml

    from bot.domain.triage import Triage, default_triage, rules_data
    from bot.domain.triage_eval import evaluate, load

    triage = default_triage()
    if args.rules_only:
        triage = Triage(rules_data())
    reports = []
    for path in args.labelled or LABELLED_PARTS:
        try:
            labelled = load(path)
        except (OSError, yaml.YAMLError) as error:
            print(f"cannot read {path}: {error}", file=sys.stderr)
            return EXIT_USAGE
        reports.append(evaluate(triage, labelled, path.stem))
    for report in reports:
        print("\n".join(report.lines(show_misses=args.misses)))
    for report in reports:
        print(report.summary())
    return 0


def cmd_triage_train(args: argparse.Namespace) -> int:

    from bot.domain.second_opinion import MODEL_FILE
    from bot.domain.triage import Triage, rules_data
    from bot.domain.triage_training import train

    parts = args.labelled or TRAINING_PARTS
    print(f"training on {', '.join(str(path) for path in parts)} ...", file=sys.stderr)
    rules = Triage(rules_data())
    model = train(rules, parts)
    MODEL_FILE.write_text(model.to_json(), encoding="utf-8")
    print(f"{MODEL_FILE}: {len(model.weights)} weights, threshold {model.threshold}")
    return 0


def cmd_triage_classify(args: argparse.Namespace) -> int:
    from bot.domain.triage import classify

    verdict = classify(args.text, hint=args.language)
    print(f"{verdict.level}" + (f"  (rule: {verdict.reason})" if verdict.reason else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("run", help="run the bot (long polling)").set_defaults(func=cmd_run)
    commands.add_parser("migrate", help="bring the database to the latest schema").set_defaults(
        func=cmd_migrate
    )

    content = commands.add_parser("content", help="the program's content files")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    check = content_commands.add_parser("check", help="validate every content file")
    check.add_argument("--packs", type=Path, help="also check wording packs in this directory")
    check.set_defaults(func=cmd_content_check)

    scorer = commands.add_parser("score", help="score a questionnaire filled in on paper")
    scorer.add_argument("instrument", help="WHO-5, WAI, WRFQ, KEDS or OREBRO-SF")
    scorer.add_argument("answers", help='answers as JSON, e.g. \'{"q1": 3, "q2": 4, ...}\'')
    scorer.set_defaults(func=cmd_score)

    inviter = commands.add_parser("invite", help="create a patient and print the invite link")
    inviter.add_argument("--lang", choices=("sv", "en"), default="sv")
    inviter.add_argument("--pseudonym", help="the patient's code (default: generated)")
    inviter.add_argument("--sex", choices=("female", "male", "other"))
    inviter.add_argument("--group", choices=("mental", "pain", "both"), help="target group")
    inviter.add_argument("--sick-leave-start", metavar="DATE")
    inviter.add_argument("--contact-way", choices=("phone", "message", "visit"))
    inviter.add_argument("--first-contact", metavar="'DATE [HH:MM]'")
    inviter.add_argument(
        "--module", default="1", choices=("1", "2", "3", "4", "5"),
        help="the module that opens as the patient joins (default 1)",
    )  # fmt: skip
    inviter.add_argument(
        "--age-band", choices=("-29", "30-39", "40-49", "50-59", "60-", "none"),
        help="for the statistics by age",
    )  # fmt: skip
    inviter.add_argument(
        "--criteria", default="", metavar="long,recurrent,illness",
        help="why coordination may be needed (seed 001): the sick leave is expected to be "
        "long, recurrent sick-leave periods, recurrent mental ill-health or long-term pain",
    )  # fmt: skip
    inviter.add_argument(
        "--unit", type=int, metavar="STAFF_CHAT_ID", help="default: STAFF_CHAT_ID"
    )
    inviter.set_defaults(func=cmd_invite)

    unit = commands.add_parser("unit", help="care units (each with its own staff chat)")
    unit_commands = unit.add_subparsers(dest="unit_command", required=True)
    adder = unit_commands.add_parser("add", help="add a care unit")
    adder.add_argument("name")
    adder.add_argument("chat_id", type=int, help="the unit's staff supergroup id (-100...)")
    adder.add_argument("--signature", choices=("role", "first_name"), default="role")
    adder.add_argument("--fallback-chat-id", type=int, help="where unacknowledged alerts go")
    adder.add_argument("--allow", type=int, nargs="*", help="coordinators besides the admins")
    adder.set_defaults(func=cmd_unit_add)
    unit_commands.add_parser("list", help="list the care units").set_defaults(func=cmd_unit_list)

    module = commands.add_parser("module", help="activate or finish a patient's module")
    module.add_argument("action", choices=("activate", "finish"))
    module.add_argument("patient", help="the patient's pseudonym")
    module.add_argument("module", type=int, choices=range(1, 6), metavar="1-5")
    module.set_defaults(func=cmd_module)

    add_report_commands(commands, _settings)

    triage = commands.add_parser("triage", help="the triage of patients' messages")
    triage_commands = triage.add_subparsers(dest="triage_command", required=True)
    evaluator = triage_commands.add_parser(
        "evaluate", help="acute caught, at once, false alarms and urgent caught, per part"
    )
    evaluator.add_argument(
        "labelled", type=Path, nargs="*", help="YAML: {label: {language: [message]}}; "
        "by default the regression, tuning and held-out parts in tests/data"
    )  # fmt: skip
    evaluator.add_argument(
        "--misses", action="store_true", help="list the messages classified wrongly "
        "(not for the held-out part while tuning: it must stay unseen)"
    )  # fmt: skip
    evaluator.add_argument(
        "--rules-only", action="store_true", help="without the learned second opinion"
    )
    evaluator.set_defaults(func=cmd_triage_evaluate)
    trainer = triage_commands.add_parser(
        "train", help="fit the second opinion on the training parts (needs the dev extras)"
    )
    trainer.add_argument(
        "labelled", type=Path, nargs="*", help="by default tests/data/triage_set.yaml and "
        "tests/data/triage/tuning.yaml; never a held-out part"
    )  # fmt: skip
    trainer.set_defaults(func=cmd_triage_train)
    classifier = triage_commands.add_parser("classify", help="how one message is triaged")
    classifier.add_argument("text")
    classifier.add_argument("--language", default="sv", help="the patient's language (a hint)")
    classifier.set_defaults(func=cmd_triage_classify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
