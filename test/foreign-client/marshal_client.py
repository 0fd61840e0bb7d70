"""A small standard-library client for the Marshal protocol (docs/protocol.md), over HTTP and
over WebSocket (section 14, on rfc6455.py).

It knows the wire rules but not any contract: the caller names the service, the endpoint,
the HTTP method and, for each parameter, where it goes and its value already in wire form
(URL text for 'path'/'query', a JSON value for 'json', bytes for 'file', an iterable of bytes
for 'stream', over WebSocket an iterable of JSON values for 'items'), and, for an HTTP result
that is not JSON, its form. The helpers below give the URL text forms of booleans, numbers,
dates and enums.
"""
import http.client
import json
import math
import urllib.error
import urllib.request
import uuid
from datetime import date, datetime, timezone
from enum import Enum
from urllib.parse import quote

from rfc6455 import Close, HandshakeRefused, WebSocket

# Besides letters and digits, what encodeURIComponent leaves unescaped; `_.-~` are always
# safe for quote(). Everything else, `/ + & ? # %` included, is percent-encoded.
_SAFE = "!*'()"


class MarshalError(Exception):
    """A non-200 answer, an `error` event of a stream of Server-Sent Events (then `status` is
    None), or a WebSocket error frame (then `close` is the Close that followed it). `code` is None
    when the body was not a Marshal error object."""

    def __init__(self, status, code, message, parameter=None, issues=None, name=None, close=None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.issues = issues
        self.name = name
        self.close = close


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


class StreamCut(Exception):
    """A streamed answer that ended without its end: the server cut the connection before the
    terminating chunk (the implementation failed after its first item), or a stream of events
    ended without an `end` or `error` event. What came before it was not the whole result."""


# The result forms of docs/protocol.md, "Files and streamed results".
RESULT_FORMS = ("json", "bytes", "chunks", "lines", "json-lines")


def call(base_url, service, endpoint, method="POST", params=(), timeout=30.0, result="json", events=False):
    """Calls one endpoint and returns its result.

    `params` is an ordered sequence of (name, placement, value); path parameters must come
    in declaration order. A query value of None is left out; a JSON value of None is sent
    as null. A 'file' value is bytes (or an iterable of bytes, sent chunked), or None for an
    optional file left out; a 'stream' value is an iterable of bytes, sent chunked as it comes.
    The body follows from the placements: a stream or a lone file is the raw body, JSON with
    files (or several files) is multipart, JSON alone is a JSON object.

    `result` is the endpoint's result form: "json" (the decoded JSON), "bytes" (a `Bytes`
    result), or a stream read as it arrives: "chunks" (`stream(Bytes)`), "lines"
    (`stream(String)`), "json-lines" (`stream(T)`). A stream is returned as an iterator; with
    `events=True` it is asked for as Server-Sent Events. Iterating raises StreamCut when the
    stream was cut off, and MarshalError for an `error` event. Raises MarshalError for every
    status but 200, before any item.
    """
    if result not in RESULT_FORMS:
        raise ValueError(f"unknown result form {result!r}")
    if events and result not in ("lines", "json-lines"):
        raise ValueError("only lines and JSON lines come as Server-Sent Events")
    url, body, files, stream = _placed(base_url, service, endpoint, params)
    if stream is not None and stream[0] == "items":
        raise ValueError("over HTTP a stream parameter carries bytes; a stream of values needs ws_call")
    data, headers = _body(body, files, None if stream is None else stream[2])
    if events:
        headers["accept"] = "text/event-stream"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        raise _error(error.code, error.read()) from None

    if result in ("json", "bytes"):
        with response:
            raw = _read_whole(response)
        if result == "bytes":
            return raw
        return json.loads(raw) if raw else None  # HEAD answers have no body
    return _events(response, result) if events else _items(response, result)


def _placed(base_url, service, endpoint, params):
    """The URL (path and query parameters), the JSON parameters, the files as (name, value), and
    the stream parameter as (placement, name, value) or None."""
    path = f"/{service}/{endpoint}"
    query, body, files, stream = [], {}, [], None
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
        elif placement == "file":
            files.append((name, value))
        elif placement in ("stream", "items"):
            stream = (placement, name, value)
        else:
            raise ValueError(f"unknown placement {placement!r} for {name!r}")
    return base_url.rstrip("/") + path + ("?" + "&".join(query) if query else ""), body, files, stream


def _body(body, files, stream):
    """The request body and its headers (docs/protocol.md, "Bodies with files and streams")."""
    if stream is not None:
        # An iterable without a length: urllib sends it chunked, piece by piece.
        return iter(stream), {"content-type": "application/octet-stream"}
    if len(files) == 1 and not body:
        content = files[0][1]
        data = b"" if content is None else content
        return (data if isinstance(data, bytes) else iter(data)), {"content-type": "application/octet-stream"}
    if files:
        return _multipart(body, files)
    if body:
        data = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
        return data, {"content-type": "application/json"}
    return None, {}


def _multipart(body, files):
    """multipart/form-data: a json_arguments part with the JSON parameters, then one file part
    per file parameter, named after it; an optional file that is None is left out."""
    boundary = uuid.uuid4().hex
    pieces = []
    if body:
        pieces += [f"--{boundary}\r\n".encode(),
                   b'Content-Disposition: form-data; name="json_arguments"\r\n',
                   b"Content-Type: application/json\r\n\r\n",
                   json.dumps(body, ensure_ascii=False, allow_nan=False).encode(), b"\r\n"]
    for name, content in files:
        if content is None:
            continue
        if not isinstance(content, bytes):
            content = b"".join(content)
        pieces += [f"--{boundary}\r\n".encode(),
                   f'Content-Disposition: form-data; name="{name}"; filename="{name}"\r\n'.encode(),
                   b"Content-Type: application/octet-stream\r\n\r\n", content, b"\r\n"]
    pieces.append(f"--{boundary}--\r\n".encode())
    return b"".join(pieces), {"content-type": f"multipart/form-data; boundary={boundary}"}


def _read_whole(response):
    try:
        return response.read()
    except http.client.IncompleteRead as error:
        raise StreamCut(f"the answer was cut off after {len(error.partial)} bytes") from None


def _chunks(response):
    """The body's pieces as they arrive. read1 raises IncompleteRead when a chunked body ends
    without its terminating chunk (readline would not: it takes the cut for the end)."""
    with response:
        try:
            while True:
                chunk = response.read1(65536)
                if not chunk:
                    return
                yield chunk
        except (http.client.IncompleteRead, ConnectionError) as error:
            raise StreamCut(f"the stream was cut off: {error!r}") from None


def _items(response, form):
    """The items of a streamed answer as they arrive: chunks, or the lines of the chunks (each
    decoded as UTF-8, and as JSON for JSON lines). StreamCut if it was cut off."""
    if form == "chunks":
        yield from _chunks(response)
        return
    pending = b""
    for chunk in _chunks(response):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            text = line.decode("utf-8")
            yield text if form == "lines" else json.loads(text)
    if pending:
        raise StreamCut("the last line has no line break")


def _events(response, form):
    """The items of a stream of Server-Sent Events: each event's data, until `end`; an `error`
    event raises its MarshalError; a stream that ends without either raises StreamCut."""
    kind, data = "message", []
    for line in _items(response, "lines"):
        if line == "":
            if kind == "end":
                return
            text = "\n".join(data)
            if kind == "error":
                raise _error(None, text.encode())
            if data:
                yield text if form == "lines" else json.loads(text)
            kind, data = "message", []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                kind = value
            elif field == "data":
                data.append(value)
    raise StreamCut("the events ended without an end event")


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


# Over WebSocket (docs/protocol.md section 14): JSON text frames, except the bytes of files and
# byte streams, which travel in binary frames.

# The size of each binary frame of a file, as Marshal's own client sends them.
FILE_FRAME_SIZE = 64 * 1024


def ws_call(base_url, service, endpoint, params=(), timeout=30.0):
    """Calls a WebSocket endpoint the way the reference's client does: sends everything (`args`,
    each file, the stream and its `end`), then reads the answer.

    `params` are placed as for call(); the stream parameter is ('stream', an iterable of bytes)
    for `stream(Bytes)` or ('items', an iterable of JSON values) for a stream of values. Returns
    the value of a `result` frame, or the items of a streamed result as a list (bytes chunks, or
    JSON values). Raises MarshalError for a refused handshake or an error frame, and StreamCut
    when the connection closes before `result` or `end`.
    """
    url, body, files, stream = _placed(base_url, service, endpoint, params)
    with WsCall(url, body, files, timeout) as call:
        if stream is not None:
            placement, name, values = stream
            call.open_stream(name)
            for value in values:
                if placement == "stream":
                    call.send_chunk(value)
                else:
                    call.send_item(value)
            call.end()
        return call.outcome()


def ws_open(base_url, service, endpoint, params=(), timeout=30.0, headers=None):
    """Opens a call and sends its `args` and files; the stream, if any, is then sent by hand
    (open_stream, send_chunk or send_item, end) while the answer is read (receive, outcome)."""
    url, body, files, stream = _placed(base_url, service, endpoint, params)
    if stream is not None:
        raise ValueError("ws_open sends no stream itself: use open_stream() on the call")
    return WsCall(url, body, files, timeout, headers)


class WsCall:
    """One call over one WebSocket connection."""

    def __init__(self, url, body, files, timeout=30.0, headers=None):
        if not url.startswith(("http://", "ws://")):
            raise ValueError(f"only http:// and ws:// base URLs are supported, got {url!r}")
        try:
            self.socket = WebSocket("ws://" + url.split("://", 1)[1], timeout, headers)
        except HandshakeRefused as refused:
            raise _error(refused.status, refused.body) from None
        self._streaming = False
        self._send({"type": "args", "json": body})
        for name, content in files:
            if content is None:
                self._send({"type": "file", "name": name, "absent": True})
                continue
            self._send({"type": "file", "name": name})
            for start in range(0, len(content), FILE_FRAME_SIZE):
                self.socket.send_binary(content[start:start + FILE_FRAME_SIZE])
            self._send({"type": "file_end"})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.socket.closed is None:
            self.socket.close()

    def _send(self, frame):
        self.socket.send_text(json.dumps(frame, ensure_ascii=False, allow_nan=False, separators=(",", ":")))

    def open_stream(self, name):
        self._send({"type": "stream", "name": name})

    def send_chunk(self, data):
        self.socket.send_binary(data)

    def send_item(self, value):
        self._send({"type": "item", "value": value})

    def end(self):
        self._send({"type": "end"})

    def receive(self):
        """The server's next frame: a dict for a text frame, bytes for a binary one, or the Close
        that ended the connection."""
        message = self.socket.receive()
        if isinstance(message, str):
            frame = json.loads(message)
            if frame.get("type") == "stream":
                self._streaming = True
            return frame
        if isinstance(message, bytes) and not self._streaming:
            raise ValueError("a binary frame before the stream frame")
        return message

    def outcome(self):
        """The rest of the answer, once it is complete and the server has closed normally: the
        value of a `result` frame, or the items of the streamed result not received yet."""
        items = []
        while True:
            frame = self.receive()
            if isinstance(frame, Close):
                raise StreamCut(f"the connection closed ({frame.code} {frame.reason}) before the answer was complete")
            if isinstance(frame, bytes):
                items.append(frame)
                continue
            kind = frame.get("type")
            if kind == "error":
                raise self._error_of(frame)
            if kind == "item" and self._streaming:
                items.append(frame["value"])
            elif kind in ("end", "result"):
                close = self.receive()
                if close != Close(1000):
                    raise ValueError(f"expected a normal close after {kind}, got {close!r}")
                return items if kind == "end" else frame["value"]
            elif kind != "stream":
                raise ValueError(f"unexpected frame {frame!r}")

    def _error_of(self, frame):
        """The MarshalError of an error frame, with the close that follows it."""
        close = self.receive()
        while not isinstance(close, Close):
            close = self.receive()
        return MarshalError(frame.get("status"), frame.get("code"), frame.get("message"), frame.get("parameter"),
                            frame.get("issues"), frame.get("name"), close)
