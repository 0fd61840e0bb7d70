"""A small standard-library client for the Marshal HTTP protocol (docs/protocol.md).

It knows the wire rules but not any contract: the caller names the service, the endpoint,
the HTTP method and, for each parameter, where it goes and its value already in wire form
(URL text for 'path'/'query', a JSON value for 'json'). The helpers below give the URL text
forms of booleans, numbers, dates and enums.
"""
import json
import math
import urllib.error
import urllib.request
from datetime import date, datetime, timezone
from enum import Enum
from urllib.parse import quote

# Besides letters and digits, what encodeURIComponent leaves unescaped; `_.-~` are always
# safe for quote(). Everything else, `/ + & ? # %` included, is percent-encoded.
_SAFE = "!*'()"


class MarshalError(Exception):
    """A non-200 answer. `code` is None when the body was not a Marshal error object."""

    def __init__(self, status, code, message, parameter=None, issues=None, name=None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.issues = issues
        self.name = name


def bool_text(value: bool) -> str:
    """`True`/`False`: the spelling both Marshal and the reference's servers accept."""
    return "True" if value else "False"


def number_text(value) -> str:
    """A plain decimal; NaN and infinities have no URL form and are refused here."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be sent")
    return repr(value)


def date_text(value) -> str:
    """ISO-8601 as the server writes it (UTC, milliseconds, `Z`); a bare date stays a date.

    A naive datetime is taken as UTC, which is also how the server reads one.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat(timespec="milliseconds")[:-6] + "Z"
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"expected a date or datetime, got {value!r}")


def enum_text(member: Enum, by_value: bool = False) -> str:
    """The member name, or its value as text for enums declared `byValue`."""
    return str(member.value) if by_value else member.name


def parse_date(text: str) -> datetime:
    """Reads a date of a result (always `…T…Z`) as an aware datetime."""
    return datetime.fromisoformat(text)


def call(base_url, service, endpoint, method="POST", params=(), timeout=30.0):
    """Calls one endpoint and returns the decoded JSON of its 200 answer.

    `params` is an ordered sequence of (name, placement, value); path parameters must come
    in declaration order. A query value of None is left out; a JSON value of None is sent
    as null. Raises MarshalError for every other status.
    """
    path = f"/{service}/{endpoint}"
    query, body = [], {}
    for name, placement, value in params:
        if placement == "path":
            if not isinstance(value, str) or value == "":
                raise ValueError(f"path parameter {name!r} needs non-empty text, got {value!r}")
            path += "/" + quote(value, safe=_SAFE)
        elif placement == "query":
            if value is not None:
                query.append(f"{name}={quote(str(value), safe=_SAFE)}")
        elif placement == "json":
            body[name] = value
        else:
            raise ValueError(f"unknown placement {placement!r} for {name!r}")

    url = base_url.rstrip("/") + path + ("?" + "&".join(query) if query else "")
    data, headers = None, {}
    if body:
        data = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
        headers["content-type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()

    if status == 200:
        return json.loads(raw) if raw else None  # HEAD answers have no body
    raise _error(status, raw)


def _error(status, raw) -> MarshalError:
    """Reads a Marshal error body, or keeps the raw text of anything else (a proxy page)."""
    text = raw.decode("utf-8", "replace")
    try:
        err = json.loads(text)
    except ValueError:
        err = None
    if isinstance(err, dict) and isinstance(err.get("code"), str) and "message" in err:
        return MarshalError(status, err["code"], err["message"], err.get("parameter"),
                            err.get("issues"), err.get("name"))
    return MarshalError(status, None, text)
