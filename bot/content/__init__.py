"""Loads and validates the program's content files into one read-only catalogue."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.schema import LANGUAGES, Form, Module, ProgramTexts, Text

CONTENT_DIR = Path(__file__).parent
PROJECT_WORDING = "project"
ModelT = TypeVar("ModelT", bound=BaseModel)


class ContentError(ValueError):
    """A content file that does not hold; names the file and the field at fault."""


@dataclass(frozen=True)
class Catalog:
    modules: dict[int, Module]
    forms: dict[str, Form]
    texts: ProgramTexts
    version: str
    # (form id, language) -> the name of a licensed wording pack in use
    packs: dict[tuple[str, str], str] = field(default_factory=dict)

    def module(self, number: int) -> Module:
        return self.modules[number]

    def instrument(self, name: str) -> Form:
        for form in self.forms.values():
            if form.instrument and form.instrument.upper() == name.upper():
                return form
        known = ", ".join(sorted(f.instrument for f in self.forms.values() if f.instrument))
        raise KeyError(f"unknown instrument {name!r}; known: {known}")

    def sendable(self, name: str) -> Form | None:
        """A form the coordinator may send, by its id or its instrument ("KEDS", "keds")."""
        for form_id in self.texts.sendable_forms:
            form = self.forms[form_id]
            if name.lower() in (form.id, (form.instrument or "").lower()):
                return form
        return None

    def wording(self, form_id: str, language: str) -> str:
        return self.packs.get((form_id, language), PROJECT_WORDING)

    @property
    def page_count(self) -> int:
        return sum(len(module.pages) for module in self.modules.values())


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from error


def _parse(model: type[ModelT], path: Path, data: Any) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise ContentError(f"{path}: {where}: {first['msg']}") from error


def _cross_check(modules: dict[int, Module], forms: dict[str, Form], where: Path) -> None:
    if sorted(modules) != list(range(1, len(modules) + 1)):
        raise ContentError(f"{where}: modules must be numbered 1..n, found {sorted(modules)}")
    for module in modules.values():
        for page in module.pages:
            if page.form and page.form not in forms:
                raise ContentError(
                    f"{where / 'modules'}: module {module.number} page {page.id}: "
                    f"form {page.form!r} does not exist"
                )
    instruments = [form.instrument.upper() for form in forms.values() if form.instrument]
    if len(set(instruments)) != len(instruments):
        raise ContentError(f"{where / 'forms'}: an instrument is named by two forms")


def _apply_pack(form: Form, language: str, pack: dict[str, Any], path: Path) -> Form:
    items_text = pack.get("items")
    if not isinstance(items_text, dict) or not items_text:
        raise ContentError(f"{path}: items: a mapping of item id to wording is required")
    known = {item.id for item in form.items}
    unknown = set(items_text) - known
    if unknown:
        raise ContentError(f"{path}: items: unknown item ids {sorted(unknown)}")
    items = []
    for item in form.items:
        if item.id in items_text:
            prompt = Text(**{**item.prompt.model_dump(), language: str(items_text[item.id])})
            item = item.model_copy(update={"prompt": prompt})
        items.append(item)
    return form.model_copy(update={"items": tuple(items)})


def _load_packs(
    forms: dict[str, Form], pack_dir: Path | None
) -> tuple[dict[str, Form], dict[tuple[str, str], str]]:
    """Licensed wording: files `<INSTRUMENT>.<language>.yaml` with `name` and `items`."""
    used: dict[tuple[str, str], str] = {}
    if pack_dir is None:
        return forms, used
    if not pack_dir.is_dir():
        raise ContentError(f"{pack_dir}: WORDING_PACK_DIR is not a directory")
    by_instrument = {f.instrument.upper(): f.id for f in forms.values() if f.instrument}
    for path in sorted(pack_dir.glob("*.yaml")):
        instrument, _, language = path.stem.rpartition(".")
        form_id = by_instrument.get(instrument.upper())
        if form_id is None or language not in LANGUAGES:
            raise ContentError(f"{path}: name it <INSTRUMENT>.<sv|en>.yaml for a known instrument")
        pack = _read_yaml(path) or {}
        name = str(pack.get("name") or "").strip()
        if not name:
            raise ContentError(f"{path}: name: say whose wording this is (shown with answers)")
        forms = {**forms, form_id: _apply_pack(forms[form_id], language, pack, path)}
        used[(form_id, language)] = name[:64]
    return forms, used


def load_catalog(root: Path = CONTENT_DIR, pack_dir: Path | None = None) -> Catalog:
    digest = hashlib.sha256()
    modules: dict[int, Module] = {}
    for path in sorted((root / "modules").glob("*.yaml")):
        digest.update(path.read_bytes())
        module = _parse(Module, path, _read_yaml(path))
        if module.number in modules:
            raise ContentError(f"{path}: number: module {module.number} is defined twice")
        modules[module.number] = module
    forms: dict[str, Form] = {}
    for path in sorted((root / "forms").glob("*.yaml")):
        digest.update(path.read_bytes())
        form = _parse(Form, path, _read_yaml(path))
        if form.id != path.stem:
            raise ContentError(f"{path}: id: must match the file name ({path.stem!r})")
        forms[form.id] = form
    program = root / "program.yaml"
    digest.update(program.read_bytes())
    texts = _parse(ProgramTexts, program, _read_yaml(program))
    _cross_check(modules, forms, root)
    unknown = [form_id for form_id in texts.sendable_forms if form_id not in forms]
    if unknown:
        raise ContentError(f"{program}: sendable_forms: no such forms {unknown}")
    forms, packs = _load_packs(forms, pack_dir)
    return Catalog(modules, forms, texts, digest.hexdigest()[:12], packs)
