"""Checking a hand-edited YAML file against its model: every problem at its line, in plain words.

The plan, framework and roster files are declared as pydantic models (`formats.py`), built
from the `Entry` base and the field types here. An entry forbids keys it does not declare
and remembers the lines of the YAML mapping it was read from; the field types refuse what
would be misread (a date with a time, a number where a text is meant) with a planner's
message. `check_file` reports every problem of a file at once, each at its line (pydantic's
own wording never reaches the planner), and hands the rules that compare entries with
each other (`plan.py`, `framework.py`) every part of the file that reads.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, ClassVar, Self, TypeVar, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from missionplan.errors import DataFileError, Problem
from missionplan.planning.yamlfile import LineDict, line_of
from missionplan.schema.text import shorten

MAX_PROBLEMS = 100  # a file with more gets the first ones and a count: enough to see the pattern
T = TypeVar("T")


@dataclass
class ProblemLog:
    """Problems found while reading one data file."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, node: object, where: str, message: str, key: str | None = None) -> None:
        """Note a problem at the node's line, or at the line of one of its keys."""
        self.problems.append(Problem(self.file, line_of(node, key), where, message))

    def raise_if_any(self) -> None:
        if not self.problems:
            return
        ordered = sorted(self.problems, key=lambda p: (p.line or 0, p.where, p.message))
        if len(ordered) > MAX_PROBLEMS:
            more = len(ordered) - MAX_PROBLEMS
            ordered = [
                *ordered[:MAX_PROBLEMS],
                Problem(self.file, None, "", f"and {more} more problems; fix these first"),
            ]
        raise DataFileError(ordered)


# ---------------------------------------------------------------------------
# Entries: one mapping of a file, its keys exactly the fields.
# ---------------------------------------------------------------------------


class Hint:
    """What to write when a required key is missing (Annotated metadata; pydantic ignores it)."""

    def __init__(self, text: str) -> None:
        self.text = text


class Entry(BaseModel):
    """One mapping of a data file: only its declared keys are allowed, and it knows its lines."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    noun: ClassVar[str] = ""  # how a problem names the entry: noun, then the value of named_by
    named_by: ClassVar[str] = "id"

    _line: int | None = PrivateAttr(default=None)
    _key_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _remember_lines(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        entry = handler(data)
        if isinstance(data, LineDict):
            entry._line = data.line
            entry._key_lines = getattr(data, "key_lines", {})
        return entry

    @property
    def line(self) -> int | None:
        """The line the entry's mapping starts on (None when it was not read from a file)."""
        return self._line

    def line_of_key(self, key: str) -> int | None:
        """The line of one of the entry's keys (the entry's line when the key was not written)."""
        return self._key_lines.get(key, self._line)

    @classmethod
    def where_of(cls, raw: object) -> str:
        """How a problem names an entry read from `raw`: e.g. `output 3.1`, `plan`, `3.1-A1`."""
        name = raw.get(cls.named_by) if cls.named_by and isinstance(raw, dict) else None
        readable = isinstance(name, str | int) and not isinstance(name, bool)
        label = " ".join(str(name).split()) if readable else ""
        return " ".join(part for part in (cls.noun, label) if part) or "entry"

    @property
    def where(self) -> str:
        return self.where_of({self.named_by: getattr(self, self.named_by, "")})


# ---------------------------------------------------------------------------
# Field types: each refuses what it would misread, with the planner's message.
# ---------------------------------------------------------------------------


def _problem(message: str, **slots: object) -> PydanticCustomError:
    """A value problem in our own words (pydantic fills the slots; braces in values are safe)."""
    return PydanticCustomError("missionplan", message, slots)


def _key(info: ValidationInfo) -> str:
    return info.field_name or "value"


def _shown(value: object) -> str:
    """A value as a message quotes it: short, on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return "'" + shorten(" ".join(str(value).split()), 40, "…") + "'"


def _folded(value: object, info: ValidationInfo) -> str:
    """A text value folded to one line; what YAML read as something else is refused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # `mandate: 2719`: the number is the text as written
    key = _key(info)
    if isinstance(value, float):
        message = "'{key}' is read as the number {number}; put it in quotes to keep it as written"
        raise _problem(message, key=key, number=value)
    if isinstance(value, dt.date):
        message = "'{key}' is read as a date; put it in quotes to keep it as written"
        raise _problem(message, key=key)
    kinds = {bool: "true/false", list: "list", dict: "mapping", LineDict: "mapping"}
    found = kinds.get(type(value), type(value).__name__)
    raise _problem("'{key}' should be a text, found {found}", key=key, found=found)


def _required_text(value: object, info: ValidationInfo) -> str:
    folded = _folded(value, info)
    if not folded:
        raise _problem("'{key}' is empty; give it a text", key=_key(info))
    return folded


Text = Annotated[str, BeforeValidator(_required_text), Field(min_length=1), Hint("give it a text")]
OptionalText = Annotated[str, BeforeValidator(_folded)]


def text_matching(pattern: re.Pattern[str], rule: str, required: bool = True) -> BeforeValidator:
    """A text that must match `pattern` whole (or be empty, when not required); `rule` says
    what it looks like."""

    def check(value: object, info: ValidationInfo) -> str:
        folded = _required_text(value, info) if required else _folded(value, info)
        if folded and not pattern.fullmatch(folded):
            raise _problem("{rule}", rule=rule)
        return folded

    return BeforeValidator(check)


def pattern_schema(pattern: re.Pattern[str]) -> WithJsonSchema:
    """The JSON Schema of a text matching `pattern` whole (JSON Schema patterns search)."""
    body = pattern.pattern.removeprefix("^").removesuffix("$")
    return WithJsonSchema({"type": "string", "pattern": f"^(?:{body})$"})


def one_of(choices: Iterable[str]) -> BeforeValidator:
    """A text that must be one of `choices`, exactly as written there."""
    allowed = tuple(choices)

    def check(value: object, info: ValidationInfo) -> str:
        folded = _folded(value, info)
        if not folded:
            message = "'{key}' is empty; write one of: {choices}"
            raise _problem(message, key=_key(info), choices=", ".join(allowed))
        if folded not in allowed:
            message = "{key} {value} is not one of: {choices}"
            raise _problem(
                message, key=_key(info), value=_shown(folded), choices=", ".join(allowed)
            )
        return folded

    return BeforeValidator(check)


def choices_schema(choices: Iterable[str]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": list(choices)})


def _date(value: object, info: ValidationInfo) -> dt.date:
    """A date as YAML reads it, or YYYY-MM-DD in quotes; a date with a time is refused."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    shown = "empty" if value is None else _shown(value)
    raise _problem("'{key}' is {shown}; write a date as YYYY-MM-DD", key=_key(info), shown=shown)


Date = Annotated[dt.date, BeforeValidator(_date), Hint("write a date as YYYY-MM-DD")]


def _round(value: object, info: ValidationInfo) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    message = "'{key}' should be a whole number from 1 (the first round), not {shown}"
    raise _problem(message, key=_key(info), shown=_shown(value))


Round = Annotated[
    int, BeforeValidator(_round), Field(ge=1), Hint("give the round's number: 1, 2, ...")
]


def _months(value: object, info: ValidationInfo) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 120:
        return value
    if value is None:
        message = "'{key}' is empty; give a whole number of months from 1 to 120"
        raise _problem(message, key=_key(info))
    message = "'{key}' should be a whole number of months from 1 to 120, not {shown}"
    raise _problem(message, key=_key(info), shown=_shown(value))


Months = Annotated[
    int,
    BeforeValidator(_months),
    Field(ge=1, le=120),
    Hint("give a whole number of months from 1 to 120"),
]


def _percent(value: object, info: ValidationInfo) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100:
        return value
    message = "'{key}' should be a whole percentage from 1 to 100, not {shown}"
    raise _problem(message, key=_key(info), shown=_shown(value))


Percent = Annotated[
    int,
    BeforeValidator(_percent),
    Field(ge=1, le=100),
    Hint("give a whole percentage from 1 to 100"),
]


def _flag(value: object, info: ValidationInfo) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        raise _problem("'{key}' is empty; write true or false", key=_key(info))
    message = "'{key}' should be true or false, not {shown}"
    raise _problem(message, key=_key(info), shown=_shown(value))


Flag = Annotated[bool, BeforeValidator(_flag)]


def _codes(value: object, info: ValidationInfo) -> tuple[str, ...]:
    """One component code or a list of them; nothing (or an empty text) is no code."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ()
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise _problem("'{key}' should be a component code or a list of them", key=_key(info))


Codes = Annotated[
    tuple[str, ...],
    BeforeValidator(_codes),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string", "minLength": 1}},
                {"type": "null"},
            ]
        }
    ),
]


# ---------------------------------------------------------------------------
# Checking a file: every problem at its line, then what reads for the rules.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """The parts of a file (its top-level keys) as the model reads them, for the rules.

    A part with a problem in an entry of a list reads without that entry; a part that does not
    read at all is None. `whole` names the parts that read with nothing left out, so that a
    rule over a whole list (no output in scope, an unknown component) runs only on a whole one.
    """

    root: dict[str, Any]  # the file's mapping as parsed (for the lines of its keys)
    parts: dict[str, Any]
    given: frozenset[str]  # the parts the file gives (the others take their defaults)
    whole: frozenset[str]

    def part(self, key: str, kind: type[T]) -> T | None:
        value = self.parts.get(key)
        return value if isinstance(value, kind) else None

    def entries(self, key: str, kind: type[T]) -> list[T]:
        value = self.parts.get(key)
        return [v for v in value if isinstance(v, kind)] if isinstance(value, list) else []


def check_file(model: type[Entry], data: Any, log: ProblemLog) -> Checked:
    """Check data (parsed YAML) against the file's model; note every problem in the log."""
    root = data if isinstance(data, dict) else {}
    given = frozenset(root) & frozenset(model.model_fields)
    try:
        checked = model.model_validate(data)
    except ValidationError as error:
        log.problems.extend(_problems(model, data, error.errors(), log.file))
        parts, whole = _readable(model, root)
        return Checked(root, parts, given, whole)
    parts = {name: getattr(checked, name) for name in model.model_fields}
    return Checked(root, parts, given, frozenset(model.model_fields))


def _problems(
    model: type[Entry], data: Any, errors: list[ErrorDetails], file: str
) -> list[Problem]:
    """Each pydantic error as a planner's problem at its line; a misspelt key said once."""
    problems = []
    meant: set[tuple[object, ...]] = set()  # (path to a mapping, key): the key a misspelling meant
    for error in errors:
        if error["type"] == "extra_forbidden":
            place = _place(model, data, error["loc"])
            key = str(error["loc"][-1])
            guess = _guess(key, place.model, place.mapping)
            if guess:
                meant.add((*place.path, guess))
                advice = f"did you mean '{guess}'?"
            else:
                advice = "the keys here are: " + ", ".join(place.keys)
            within = f"at the top of the {place.where}" if not place.path else f"in {place.where}"
            message = f"unknown key '{key}' {within}; {advice}"
            problems.append(Problem(file, place.line, "", message))
    for error in errors:
        if error["type"] == "extra_forbidden":
            continue
        place = _place(model, data, error["loc"])
        if error["type"] == "missing" and (*place.path, place.key) in meant:
            continue
        problems.append(Problem(file, place.line, place.where, _message(error, place)))
    return problems


@dataclass(frozen=True)
class _Place:
    """Where an error is: the mapping holding the key it is about, and that mapping's model."""

    path: tuple[object, ...]  # to the mapping, from the root
    mapping: dict[str, Any] | None
    model: type[Entry] | None
    key: str  # the mapping's key the error is about ("" for the mapping itself)
    rest: tuple[object, ...]  # the error's location below that key (a list index)

    @property
    def line(self) -> int | None:
        if self.mapping is None:
            return None
        return (
            line_of(self.mapping, self.key) if self.key in self.mapping else line_of(self.mapping)
        )

    @property
    def where(self) -> str:
        if self.model is None:
            return "entry"
        return self.model.where_of(self.mapping)

    @property
    def keys(self) -> list[str]:
        return list(self.model.model_fields) if self.model else []

    @property
    def hint(self) -> str:
        """What to write for the missing key, from its field's Hint."""
        if self.model is None or self.key not in self.model.model_fields:
            return "add it"
        found = [m for m in self.model.model_fields[self.key].metadata if isinstance(m, Hint)]
        return found[0].text if found else "add it"


def _walk(data: Any, loc: tuple[int | str, ...]) -> list[Any]:
    """The nodes along loc, from data down, as far as they exist."""
    nodes = [data]
    for step in loc:
        node = nodes[-1]
        in_mapping = isinstance(node, dict) and isinstance(step, str) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if not (in_mapping or in_list):
            break
        nodes.append(node[step])
    return nodes


def _place(model: type[Entry], data: Any, loc: tuple[int | str, ...]) -> _Place:
    """The innermost mapping along loc that holds the next step of it as a key."""
    nodes = _walk(data, loc)
    holders = [i for i in range(min(len(nodes), len(loc))) if isinstance(nodes[i], dict)]
    if not holders:  # the file itself is not a mapping
        return _Place((), data if isinstance(data, dict) else None, model, "", tuple(loc))
    i = holders[-1]
    return _Place(
        tuple(loc[:i]), nodes[i], _model_at(model, loc[:i]), str(loc[i]), tuple(loc[i + 1 :])
    )


def _model_at(model: type[Entry], path: Iterable[object]) -> type[Entry] | None:
    """The entry model of the mapping at path (list indexes keep the list's entry model)."""
    current: type[Entry] | None = model
    for step in path:
        if current is None:
            return None
        if isinstance(step, str):
            found = current.model_fields.get(step)
            current = _entry_model(found.annotation) if found else None
    return current


def _entry_model(annotation: object) -> type[Entry] | None:
    if isinstance(annotation, type) and issubclass(annotation, Entry):
        return annotation
    for argument in get_args(annotation):
        found = _entry_model(argument)
        if found:
            return found
    return None


def _guess(key: str, model: type[Entry] | None, mapping: dict[str, Any] | None) -> str:
    """The declared key a misspelt one most likely meant, or "" when none is close."""
    if model is None:
        return ""
    fields = list(model.model_fields)
    unused = [f for f in fields if f not in (mapping or {})]
    for candidates in (unused, fields):
        by_lower = {f.lower(): f for f in candidates}
        close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.6)
        if close:
            return by_lower[close[0]]
    return ""


def _message(error: ErrorDetails, place: _Place) -> str:
    """Pydantic's errors said as a planner would; our field types already speak for themselves."""
    kind, key = error["type"], place.key
    if kind == "missionplan":
        return error["msg"]
    if kind == "missing":
        return f"'{key}' is missing; {place.hint}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if not key:
            return "expected a mapping of keys to values"
        if place.rest and isinstance(place.rest[0], int):
            return f"entry {place.rest[0] + 1} under '{key}' should be a mapping of keys to values"
        return f"'{key}' should be a mapping of keys to values"
    if kind == "list_type":
        return f"'{key}' should be a list"
    if kind == "too_short":
        return f"'{key}' is empty; list at least one"
    return f"'{key}': {error['msg'][:1].lower()}{error['msg'][1:]}"


def _readable(model: type[Entry], root: dict[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """Each part of a file that has problems, read without the entries that have them; and
    the parts that read whole."""
    parts: dict[str, Any] = {}
    whole = set()
    for name, declared in model.model_fields.items():
        if name not in root:
            if not declared.is_required():
                parts[name] = declared.get_default(call_default_factory=True)
                whole.add(name)
            continue
        value, left_out = root[name], False
        while True:
            try:
                parts[name] = _adapter(model, name).validate_python(value)
                break
            except ValidationError as error:
                found = [_entry_path(value, e["loc"]) for e in error.errors()]
                entries = {path for path in found if path is not None}
                if len(entries) < len(found):  # a problem outside every entry: the part is lost
                    parts[name] = None
                    break
                value, left_out = _without(value, entries), True
        if parts[name] is not None and not left_out:
            whole.add(name)
    return parts, frozenset(whole)


@cache
def _adapter(model: type[Entry], name: str) -> TypeAdapter[Any]:
    """Validates one part of a file on its own, as the file's model would."""
    declared = model.model_fields[name]
    return TypeAdapter(Annotated[declared.annotation, declared])  # type: ignore[arg-type]


def _entry_path(value: Any, loc: tuple[int | str, ...]) -> tuple[int | str, ...] | None:
    """The path to the innermost mapping in a list that holds loc, or None when none does."""
    nodes = _walk(value, loc)
    entries = [
        depth
        for depth in range(1, len(nodes))
        if isinstance(loc[depth - 1], int) and isinstance(nodes[depth], dict)
    ]
    return tuple(loc[: entries[-1]]) if entries else None


def _without(node: Any, paths: set[tuple[int | str, ...]], here: tuple[int | str, ...] = ()) -> Any:
    """A copy of node without the list elements at paths (mappings keep their lines)."""
    if not any(path[: len(here)] == here for path in paths):
        return node
    if isinstance(node, list):
        return [
            _without(v, paths, (*here, i)) for i, v in enumerate(node) if (*here, i) not in paths
        ]
    if isinstance(node, dict):
        items = {k: _without(v, paths, (*here, k)) for k, v in node.items()}
        return node.rebuilt(items) if isinstance(node, LineDict) else items
    return node
