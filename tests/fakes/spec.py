"""Checks Bot API calls and objects against the vendored official description (bot-api.json).

The fake server runs every request through :func:`check_call`, so a test fails when the bot
sends something the real Telegram would reject or silently ignore (unknown fields, wrong types,
oversized callback data...). :func:`check_object` keeps hand-built updates honest too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).with_name("bot-api.json")

_SCALARS = frozenset({"Integer", "String", "Boolean", "Float"})
_DISCRIMINATORS = ("type", "status", "source")
_DISCRIMINATOR_VALUE = re.compile(r"(?:must be|always)\s+[\"“*]?([A-Za-z0-9_]+)")
_INT_TEXT = re.compile(r"-?\d+")
_FLOAT_TEXT = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request; stands for an InputFile value."""

    filename: str
    content_type: str
    size: int


@cache
def load_spec() -> dict[str, Any]:
    """The parsed bot-api.json (cached: it is 600 kB)."""
    with SPEC_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


def methods() -> dict[str, Any]:
    return load_spec()["methods"]


def types() -> dict[str, Any]:
    return load_spec()["types"]


def canonical_method(name: str) -> str | None:
    """Telegram matches method names case-insensitively; return the spec spelling."""
    return _method_index().get(name.lower())


@cache
def _method_index() -> dict[str, str]:
    return {name.lower(): name for name in methods()}


def supports_entity(entity_type: str) -> bool:
    """Whether MessageEntity.type lists ``entity_type`` (e.g. "date_time" enables <tg-time>)."""
    fields = types()["MessageEntity"]["fields"]
    description = next(f["description"] for f in fields if f["name"] == "type")
    return f'"{entity_type}"' in description


@cache
def _fields(owner: str) -> dict[str, dict[str, Any]]:
    """Fields of a method or type by name (methods win: no name is both)."""
    entry = methods().get(owner) or types().get(owner) or {}
    return {f["name"]: f for f in entry.get("fields", [])}


@cache
def _union_index(union: str) -> tuple[str | None, dict[str, list[str]]]:
    """(discriminator field, value -> subtypes) for a union type, or (None, {}) if none."""
    index: dict[str, list[str]] = {}
    field_name: str | None = None
    for sub in types()[union]["subtypes"]:
        sub_fields = _fields(sub) if sub in types() else {}
        name = next((n for n in _DISCRIMINATORS if n in sub_fields), None)
        match = _DISCRIMINATOR_VALUE.search(sub_fields[name]["description"]) if name else None
        if match is None:
            return None, {}
        field_name = name
        index.setdefault(match.group(1), []).append(sub)
    return field_name, index


# ---------------------------------------------------------------------------- decoding


def _decode_text(value: str, type_names: list[str]) -> Any:
    """Turn one form-data string into the JSON value its declared types expect."""
    if "Integer" in type_names and _INT_TEXT.fullmatch(value):
        return int(value)
    if "String" in type_names or "InputFile" in type_names:
        return value
    if "Float" in type_names and _FLOAT_TEXT.fullmatch(value):
        return float(value)
    if "Boolean" in type_names:
        return {"true": True, "false": False, "1": True, "0": False}.get(value.lower(), value)
    if any(t not in _SCALARS for t in type_names):
        return json.loads(value)
    return value


def decode_params(method: str, params: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Decode string values (form data) by the method's field types; report undecodable JSON."""
    fields = _fields(canonical_method(method) or method)
    decoded: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in params.items():
        field = fields.get(key)
        if field is None or not isinstance(value, str):
            decoded[key] = value
            continue
        try:
            decoded[key] = _decode_text(value, field["types"])
        except ValueError:
            decoded[key] = value
            problems.append(f"{key}: can't parse JSON value {value[:80]!r}")
    return decoded, problems


# ---------------------------------------------------------------------------- checking


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    return type(value).__name__


def _kind_fits(value: Any, type_name: str) -> bool:
    """Whether the JSON kind of ``value`` can be ``type_name`` at all (list, number, object...)."""
    if type_name.startswith("Array of "):
        return isinstance(value, list)
    if type_name in _SCALARS:
        actual = _kind(value)
        return actual == type_name or (type_name == "Float" and actual == "Integer")
    if type_name == "InputFile":
        return isinstance(value, str | Upload)
    spec = types().get(type_name, {})
    if "subtypes" in spec:
        return any(_kind_fits(value, sub) for sub in spec["subtypes"])
    return isinstance(value, dict)


def _check_value(value: Any, type_names: list[str], path: str) -> list[str]:
    """Errors of the best-fitting alternative among ``type_names`` (empty if one fits)."""
    candidates = [t for t in type_names if _kind_fits(value, t)]
    if not candidates:
        expected = " or ".join(type_names)
        return [f"{path}: expected {expected}, got {_kind(value)} {_short(value)}"]
    best: tuple[int, int, list[str]] | None = None
    for type_name in candidates:
        errors = _check_type(value, type_name, path)
        if not errors:
            return []
        overlap = len(set(value) & set(_fields(type_name))) if isinstance(value, dict) else 0
        if best is None or (len(errors), -overlap) < best[:2]:
            best = (len(errors), -overlap, errors)
    assert best is not None
    return best[2]


def _short(value: Any) -> str:
    text = "<file>" if isinstance(value, Upload) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_type(value: Any, type_name: str, path: str) -> list[str]:
    """Errors of ``value`` as ``type_name``; its JSON kind already fits (see _kind_fits)."""
    if type_name.startswith("Array of "):
        inner = type_name.removeprefix("Array of ")
        return [e for i, v in enumerate(value) for e in _check_value(v, [inner], f"{path}[{i}]")]
    if type_name in _SCALARS or type_name == "InputFile":
        return []
    spec = types()[type_name]
    if "subtypes" in spec:
        return _check_union(value, type_name, path)
    return _check_fields(type_name, value, path)


def _check_union(value: Any, union: str, path: str) -> list[str]:
    subtypes: list[str] = types()[union]["subtypes"]
    field_name, index = _union_index(union)
    if field_name is None or not isinstance(value, dict):
        return _check_value(value, subtypes, path)
    tag = value.get(field_name)
    if tag is None:
        return [f"{path}: {union} requires field '{field_name}'"]
    candidates = index.get(tag) if isinstance(tag, str) else None
    if not candidates:
        allowed = ", ".join(sorted(index))
        return [f"{path}.{field_name}: {union} has no variant {tag!r} (allowed: {allowed})"]
    return _check_value(value, candidates, path)


def _check_fields(owner: str, obj: Mapping[str, Any], path: str) -> list[str]:
    """Unknown/missing fields, field types, then the extra rules for ``owner``."""
    fields = _fields(owner)
    prefix = f"{path}." if path else ""
    errors = [f"{prefix}{key}: unknown field for {owner}" for key in obj if key not in fields]
    errors += [
        f"{prefix}{name}: required field missing in {owner}"
        for name, field in fields.items()
        if field["required"] and name not in obj
    ]
    for key, value in obj.items():
        if key in fields:
            errors += _check_value(value, fields[key]["types"], f"{prefix}{key}")
    rules = list(_RULES.get(owner, ()))
    if owner.startswith("InlineQueryResult"):
        rules.append(_inline_result_rules)
    for rule in rules:
        for field_name, problem in rule(obj):
            where = f"{prefix}{field_name}" if field_name else (path or owner)
            errors.append(f"{where}: {problem}")
    for key, value in obj.items():
        is_mode = key == "parse_mode" or key.endswith("_parse_mode")
        if is_mode and isinstance(value, str) and value.lower() not in _PARSE_MODES:
            errors.append(f"{prefix}{key}: unsupported parse mode {value!r}")
    return errors


# ---------------------------------------------------------------------------- extra rules
# Limits the JSON schema cannot express but Telegram enforces (taken from field descriptions).


def _utf8_len(value: Any) -> int:
    return len(value.encode("utf-8")) if isinstance(value, str) else 0


# A rule yields (field or None for the whole object, problem).
_Issue = tuple[str | None, str]


def _button_rules(button: Mapping[str, Any]) -> list[_Issue]:
    issues: list[_Issue] = []
    data = button.get("callback_data")
    if isinstance(data, str) and not 1 <= _utf8_len(data) <= 64:
        issues.append(("callback_data", f"must be 1-64 bytes in UTF-8, got {_utf8_len(data)}"))
    known = set(button) & set(_fields("InlineKeyboardButton"))
    actions = known - {"text", "icon_custom_emoji_id", "style"}
    if len(actions) != 1:
        names = ", ".join(sorted(actions)) or "none"
        issues.append((None, f"a button needs exactly one action field, got {names}"))
    if button.get("text") == "":
        issues.append(("text", "button text must not be empty"))
    style = button.get("style")
    if style is not None and style not in {"danger", "success", "primary"}:
        issues.append(("style", f"must be danger, success or primary, got {style!r}"))
    return issues


def _bot_command_rules(command: Mapping[str, Any]) -> list[_Issue]:
    issues: list[_Issue] = []
    name = command.get("command")
    if isinstance(name, str) and not re.fullmatch(r"[a-z0-9_]{1,32}", name):
        issues.append(("command", f"must be 1-32 chars of a-z, 0-9 and _, got {name!r}"))
    description = command.get("description")
    if isinstance(description, str) and not 1 <= len(description) <= 256:
        issues.append(("description", f"must be 1-256 characters, got {len(description)}"))
    return issues


def _inline_result_rules(result: Mapping[str, Any]) -> list[_Issue]:
    result_id = result.get("id")
    if isinstance(result_id, str) and not 1 <= _utf8_len(result_id) <= 64:
        return [("id", f"must be 1-64 bytes, got {_utf8_len(result_id)}")]
    return []


def _answer_inline_rules(params: Mapping[str, Any]) -> list[_Issue]:
    issues: list[_Issue] = []
    results = params.get("results")
    if isinstance(results, list):
        if len(results) > 50:
            issues.append(("results", f"at most 50 results are allowed, got {len(results)}"))
        ids = [r.get("id") for r in results if isinstance(r, dict)]
        if len(ids) != len(set(ids)):
            issues.append(("results", "result ids must be unique"))
    if _utf8_len(params.get("next_offset")) > 64:
        issues.append(("next_offset", "must not exceed 64 bytes"))
    return issues


def _answer_callback_rules(params: Mapping[str, Any]) -> list[_Issue]:
    text = params.get("text")
    if isinstance(text, str) and len(text) > 200:
        return [("text", f"must be 0-200 characters, got {len(text)}")]
    return []


def _set_commands_rules(params: Mapping[str, Any]) -> list[_Issue]:
    commands = params.get("commands")
    if isinstance(commands, list) and len(commands) > 100:
        return [("commands", f"at most 100 commands are allowed, got {len(commands)}")]
    return []


def _webhook_rules(params: Mapping[str, Any]) -> list[_Issue]:
    secret = params.get("secret_token")
    if isinstance(secret, str) and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        return [("secret_token", "must be 1-256 chars of A-Z, a-z, 0-9, _ and -")]
    return []


def _get_updates_rules(params: Mapping[str, Any]) -> list[_Issue]:
    issues: list[_Issue] = []
    limit, timeout = params.get("limit"), params.get("timeout")
    if isinstance(limit, int) and not 1 <= limit <= 100:
        issues.append(("limit", f"must be 1-100, got {limit}"))
    if isinstance(timeout, int) and timeout < 0:
        issues.append(("timeout", f"must not be negative, got {timeout}"))
    return issues


_RULES: dict[str, tuple[Callable[[Mapping[str, Any]], list[_Issue]], ...]] = {
    "InlineKeyboardButton": (_button_rules,),
    "BotCommand": (_bot_command_rules,),
    "answerInlineQuery": (_answer_inline_rules,),
    "answerCallbackQuery": (_answer_callback_rules,),
    "setMyCommands": (_set_commands_rules,),
    "setWebhook": (_webhook_rules,),
    "getUpdates": (_get_updates_rules,),
}


# ---------------------------------------------------------------------------- public API


def check_call(method: str, params: Mapping[str, Any]) -> list[str]:
    """Violations of one Bot API call; ``params`` may be raw form strings or decoded values."""
    name = canonical_method(method)
    if name is None:
        return [f"unknown method {method!r}"]
    decoded, problems = decode_params(name, params)
    return problems + _check_fields(name, decoded, "")


def check_object(type_name: str, obj: Any) -> list[str]:
    """Violations of a JSON object (e.g. an Update a test built) against type ``type_name``."""
    if type_name not in types():
        return [f"unknown type {type_name!r}"]
    errors = _check_value(obj, [type_name], type_name)
    if type_name == "Update" and isinstance(obj, dict):
        payload = [k for k in obj if k != "update_id"]
        if len(payload) != 1:
            errors.append(f"Update: exactly one update kind expected, got {payload}")
    return errors
