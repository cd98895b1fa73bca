"""Reading what a partner form posts: any body (JSON, form-encoded, multipart with Jotform's
`rawRequest`), flattened to dotted keys, and mapped to candidate fields by the source's
preset and its own map. Pure functions: no database."""

import json
import re
from io import BytesIO
from typing import Any

from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser, MultiPartParserError

from candidates.details import CANDIDATE_FIELDS, DEMOGRAPHIC_FIELDS, FIRST_TOUCH_FIELDS

# Deeper than any form's payload; a hostile body nested deeper is refused, not recursed.
MAX_DEPTH = 12
# More keys than any form has: the rest would only be kept, never read.
MAX_KEYS = 500


class UnreadableBody(ValueError):
    """The body cannot be read as a lead; the message says why, for the sender."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise UnreadableBody(f"The JSON names the key {key[:50]!r} twice.")
        seen[key] = value
    return seen


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


def _json(text: str) -> Any:
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except RecursionError:
        raise UnreadableBody("The JSON is nested too deeply.") from None
    except json.JSONDecodeError as exc:
        raise UnreadableBody(f"The body is not valid JSON: {exc.msg} at {exc.pos}.") from None
    if _depth(value) > MAX_DEPTH:
        raise UnreadableBody(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
    return value


def _form_fields(data: QueryDict) -> dict:
    return {key: values if len(values) > 1 else values[0] for key, values in data.lists()}


def parse_body(body: bytes, *, content_type: str, meta: dict) -> dict:
    """The posted fields as one dict. Raises UnreadableBody for a body no form would send."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableBody("The body is not valid UTF-8.") from None
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        payload = _form_fields(QueryDict(text, encoding="utf-8"))
    elif kind == "multipart/form-data":
        try:
            handlers = [MemoryFileUploadHandler()]
            fields, files = MultiPartParser(
                {**meta, "CONTENT_TYPE": content_type, "CONTENT_LENGTH": len(body)},
                BytesIO(body),
                handlers,
                "utf-8",
            ).parse()
        except (MultiPartParserError, ValueError) as exc:
            raise UnreadableBody(f"The multipart body cannot be read: {exc}") from None
        payload = _form_fields(fields)
        # Uploaded files are not kept: only that there was one.
        payload.update({key: f"(file {f.name})" for key, f in files.items()})
    elif kind in ("application/json", "text/plain", "") or kind.endswith("+json"):
        payload = _json(text)
    else:
        raise UnreadableBody(f"Send JSON, form-encoded or multipart, not {kind[:80]}.")
    if not isinstance(payload, dict):
        raise UnreadableBody("The body must be one object (a JSON object or form fields).")
    # Jotform posts its answers as JSON in a form field.
    raw = payload.get("rawRequest")
    if isinstance(raw, str) and raw.strip().startswith("{"):
        inner = _json(raw)
        if isinstance(inner, dict):
            payload = {**{k: v for k, v in payload.items() if k != "rawRequest"}, **inner}
    if len(flatten(payload)) > MAX_KEYS:
        raise UnreadableBody(f"The body has more than {MAX_KEYS} fields.")
    return payload


def flatten(payload: Any, prefix: str = "") -> dict[str, Any]:
    """Nested values under dotted keys (`person.email_addresses.0.address`)."""
    flat: dict[str, Any] = {}
    if isinstance(payload, dict):
        items = payload.items()
    elif isinstance(payload, list):
        items = ((str(i), v) for i, v in enumerate(payload))
    else:
        return {prefix: payload}
    for key, value in items:
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict | list) and value:
            flat.update(flatten(value, name))
        else:
            flat[name] = value
    return flat


_JOTFORM_PREFIX = re.compile(r"(^|\.)q\d+_")
_SEPARATORS = re.compile(r"[\s\-]+")


def normalise_key(key: str) -> str:
    """A key as maps name it: lower case, words joined by _, without Jotform's question
    numbers (q3_email) or Airtable's `fields.` wrapper."""
    key = _JOTFORM_PREFIX.sub(r"\1", key.strip().lower())
    key = _SEPARATORS.sub("_", key)
    return key.removeprefix("fields.")


# Our own field names work from every source; each preset adds its form tool's names. The
# source itself is the first touch, and demographics are asked on our form only.
OWN_FIELDS = [
    name
    for name in CANDIDATE_FIELDS
    if name not in FIRST_TOUCH_FIELDS and name not in DEMOGRAPHIC_FIELDS
] + ["consent"]
_COMMON = {name: name for name in OWN_FIELDS} | {
    "zip": "zip_code",
    "postal_code": "zip_code",
    "mobile": "phone",
    "phone_number": "phone",
    "email_address": "email",
}
PRESET_MAPS: dict[str, dict[str, str]] = {
    "json": {},
    "jotform": {
        "name.first": "first_name",
        "name.last": "last_name",
        "phonenumber.full": "phone",
        "phone.full": "phone",
        "phonenumber": "phone",
        "address.postal": "zip_code",
        "address.state": "state",
        "address.city": "city",
        "consent.0": "consent",
    },
    "airtable": {
        "name": "first_name",
        "first": "first_name",
        "last": "last_name",
        "phone_number": "phone",
        "zip": "zip_code",
    },
    "osdi": {
        "person.given_name": "first_name",
        "person.family_name": "last_name",
        "person.email_addresses.0.address": "email",
        "person.phone_numbers.0.number": "phone",
        "person.postal_addresses.0.postal_code": "zip_code",
        "person.postal_addresses.0.region": "state",
        "person.postal_addresses.0.locality": "city",
    },
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return str(value)


def map_payload(
    payload: dict, *, preset: str, field_map: dict[str, str]
) -> tuple[dict[str, str], dict[str, Any], dict[str, str]]:
    """(field -> text, unmapped key -> value, key -> field it filled) for one payload. The
    source's own map wins over its preset, which wins over our own field names; the first
    key to fill a field fills it."""
    rules = (
        _COMMON
        | PRESET_MAPS.get(preset, {})
        | {normalise_key(k): v for k, v in field_map.items() if v}
    )
    ignored = {normalise_key(k) for k, v in field_map.items() if not v}
    texts: dict[str, str] = {}
    custom: dict[str, Any] = {}
    used: dict[str, str] = {}
    # A list of values (a form's several ticked needs) maps as a whole, or item by item.
    for key, value in payload.items():
        field = rules.get(normalise_key(key))
        if isinstance(value, list) and value and field and field not in texts:
            texts[field], used[key] = _text(value), field
    for key, value in flatten(payload).items():
        name = normalise_key(key)
        if name in ignored or key.split(".")[0] in used:
            continue
        field = rules.get(name)
        if field and field not in texts:
            texts[field], used[key] = _text(value), field
        elif not field or field in texts:
            custom[key] = value
    return texts, custom, used


def idempotency_value(payload: dict, *, field: str) -> str:
    """The value under the source's idempotency key (dotted for nested), or ''."""
    if not field:
        return ""
    value = flatten(payload).get(field)
    if value is None:
        wanted = normalise_key(field)
        value = next((v for k, v in flatten(payload).items() if normalise_key(k) == wanted), None)
    return _text(value)[:200]
