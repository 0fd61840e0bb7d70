"""Calls the example services (`pnpm run serve:examples`) through marshal_client, over HTTP
and over WebSocket.

Usage: python3 run_examples.py http://127.0.0.1:14777 [--faults]

With --faults it also calls the streams that fail of test/helpers/file-fault-service.ts, which
the end-to-end test serves beside the examples. Ids carry a per-run suffix, so the checks can be
run again against the same server.
"""
import json
import sys
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from enum import Enum

from marshal_client import MarshalError, StreamCut, bool_text, call, date_text, enum_text, parse_date, ws_call, ws_open
from rfc6455 import TEXT, Close, WebSocket

BASE = sys.argv[1] if len(sys.argv) > 1 else sys.exit("usage: run_examples.py BASE_URL [--faults]")
FAULTS = "--faults" in sys.argv[2:]
RUN = uuid.uuid4().hex[:8]
UTC = timezone.utc


class ThreadStatus(Enum):
    """The agent server's ThreadStatus; its contract sends it by value."""
    ACTIVE = "active"
    COMPLETED = "completed"


@contextmanager
def check(label):
    """Prints one line per passed check; stops the run at the first failure."""
    try:
        yield
    except Exception as error:
        sys.exit(f"FAIL {label}: {type(error).__name__}: {error}")
    print(f"ok   {label}", flush=True)


def failure(*args, **kwargs) -> MarshalError:
    """The MarshalError a call is expected to raise."""
    try:
        result = call(BASE, *args, **kwargs)
    except MarshalError as error:
        return error
    raise AssertionError(f"expected an error, got {result!r}")


def ws_failure(*args, **kwargs) -> MarshalError:
    """The MarshalError a WebSocket call is expected to raise."""
    try:
        result = ws_call(BASE, *args, **kwargs)
    except MarshalError as error:
        return error
    raise AssertionError(f"expected an error, got {result!r}")


def assert_param_error(error, status, code, parameter):
    assert (error.status, error.code) == (status, code), error
    assert error.parameter == parameter, error.parameter
    assert isinstance(error.issues, list) and error.issues, error.issues
    assert error.issues[0]["path"].startswith(parameter), error.issues


def select(record_id, data, drop_duplicates=None):
    query = None if drop_duplicates is None else bool_text(drop_duplicates)
    return call(BASE, "my-service", "select", "POST", [
        ("id", "path", record_id), ("data", "json", data), ("drop_duplicates", "query", query)])


def my_service():
    seed = [{"id": "test", "text": "example 1"}, {"id": "test", "text": "example 2"},
            {"id": "test", "text": "example 1"}, {"id": "test_1", "text": "example 3"}]
    with check("my-service select, drop_duplicates=True"):
        assert select("test", seed, True) == ["example 1", "example 2"]
    with check("my-service select, drop_duplicates=False"):
        assert select("test", seed, False) == ["example 1", "example 2", "example 1"]
    with check("my-service select, drop_duplicates absent"):
        assert select("test", seed) == ["example 1", "example 2", "example 1"]
    odd = "a/b ?&#%+ é"
    with check("my-service select, id with / ? & # % + space and non-ASCII"):
        assert select(odd, [{"id": odd, "text": "odd"}, {"id": "a", "text": "no"}]) == ["odd"]


def agent_server():
    agent = f"critic_{RUN}"
    with check("agent-server inject into a new thread"):
        reply = call(BASE, "agent-server", "inject", "POST",
                     [("request", "json", {"to": agent, "payload": {"n": 1}})])
        assert set(reply) == {"threadId", "messageId"}, reply
        thread_id = reply["threadId"]
    with check("agent-server inject into that thread (camelCase threadId)"):
        reply = call(BASE, "agent-server", "inject", "POST",
                     [("request", "json", {"to": agent, "payload": {"n": 2}, "threadId": thread_id})])
        assert reply["threadId"] == thread_id, reply
    with check("agent-server thread: camelCase keys, date, enum value"):
        info = call(BASE, "agent-server", "thread", "GET", [("id", "path", thread_id)])
        assert {"id", "status", "participants", "messageCount", "createdAt"} <= set(info), info
        assert info["id"] == thread_id and info["participants"] == [agent], info
        assert info["messageCount"] == 2, info
        assert info["status"] == ThreadStatus.ACTIVE.value, info
        created = parse_date(info["createdAt"])
        assert created.utcoffset() == timedelta(0) and info["createdAt"].endswith("Z"), info
    with check("agent-server threads?status=active lists it"):
        status = enum_text(ThreadStatus.ACTIVE, by_value=True)
        threads = call(BASE, "agent-server", "threads", "GET", [("status", "query", status)])
        assert thread_id in [t["id"] for t in threads], threads
        assert all(t["status"] == "active" for t in threads), threads
    with check("agent-server threads?status=completed leaves it out"):
        status = enum_text(ThreadStatus.COMPLETED, by_value=True)
        threads = call(BASE, "agent-server", "threads", "GET", [("status", "query", status)])
        assert thread_id not in [t["id"] for t in threads], threads


def experiment_tracker():
    run_id = f"run-{RUN}"
    t1, t2 = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), datetime(2025, 1, 2, 3, 5, 6, 789000, tzinfo=UTC)
    batch = [
        {"type": "create_run", "run_id": run_id, "experiment": "exp"},
        {"type": "log_metric", "run_id": run_id, "name": "loss", "value": 0.5, "step": 1,
         "context": {"split": "train"}, "timestamp": date_text(t1)},
        {"type": "log_metric", "run_id": run_id, "name": "loss", "value": 0.25, "step": 2,
         "timestamp": date_text(t2)},
        {"type": "finish_run", "run_id": run_id},
    ]
    with check("experiment-tracker ingest a tagged-union batch"):
        assert call(BASE, "experiment-tracker", "ingest", "POST", [("requests", "json", batch)]) == 4
    with check("experiment-tracker run: snake_case summary"):
        summary = call(BASE, "experiment-tracker", "run", "GET", [("runId", "path", run_id)])
        assert summary["run_id"] == run_id and summary["experiment"] == "exp", summary
        assert summary["finished"] is True and summary["metric_count"] == 2, summary
        assert summary["last_values"] == {"loss": 0.25}, summary
        assert parse_date(summary["last_timestamp"]) == t2, summary
    with check("experiment-tracker ingest with an unknown tag is refused"):
        error = failure("experiment-tracker", "ingest", "POST",
                        [("requests", "json", [{"type": "delete_run", "run_id": run_id}])])
        assert_param_error(error, 400, "MARSHAL_ERR_BAD_PARAMETER", "requests")
        assert error.issues[0]["path"] == "requests[0].type", error.issues


def telemetry():
    session = f"session-{RUN}"

    def event(n, ts, tokens_in, tokens_out):
        return {"source_event_id": f"{session}-ev{n}", "ts": ts, "kind": "llm_call",
                "agent": "claude", "provider": "anthropic", "session_id": session,
                "tokens": {"input": tokens_in, "output": tokens_out, "cache_read": 1},
                "model": f"model-{n}", "billing": "api"}

    batch = {
        "batch_id": f"batch-{RUN}", "device_id": "device", "daemon_version": "1.0.0",
        # 14:00+02:00 is 12:00 UTC: offsets are honoured in JSON dates
        "events": [event(1, date_text(datetime(2025, 1, 2, 10, tzinfo=UTC)), 10, 5),
                   event(2, "2025-01-02T14:00:00+02:00", 20, 7)],
        "tool_calls": [{
            "external_call_id": f"call-{RUN}", "session_id": session,
            "source_event_id": f"{session}-ev1", "agent": "claude", "server": "builtin",
            "name": "bash", "call_index": 0, "started_at": "2025-01-02T10:00:01Z",
            "status": "ok", "args_hash": "abc", "args_bytes": 3, "result_bytes": 4,
            "command_families": ["git"]}],
    }
    ingest = [("batch", "json", batch)]
    with check("telemetry ingest a snake_case batch"):
        receipt = call(BASE, "telemetry", "ingest", "POST", ingest)
        assert receipt == {"accepted": 2, "duplicates": 0, "tool_calls": 1}, receipt
    with check("telemetry ingest the same batch again counts duplicates"):
        receipt = call(BASE, "telemetry", "ingest", "POST", ingest)
        assert receipt["accepted"] == 0 and receipt["duplicates"] == 2, receipt

    def usage(since=None):
        return call(BASE, "telemetry", "usage", "GET", [("session_id", "path", session), ("since", "query", since)])

    with check("telemetry usage of the whole session"):
        total = usage()
        assert total["session_id"] == session and total["events"] == 2, total
        assert (total["input_tokens"], total["output_tokens"], total["tool_calls"]) == (30, 12, 1), total
        assert sorted(total["models"]) == ["model-1", "model-2"], total
        assert parse_date(total["last_at"]) == datetime(2025, 1, 2, 12, tzinfo=UTC), total
    with check("telemetry usage since a UTC date in the query"):
        later = usage(date_text(datetime(2025, 1, 2, 11, tzinfo=UTC)))
        assert later["events"] == 1 and later["input_tokens"] == 20, later
    with check("telemetry usage since a +01:00 date in the query ('+' encoded)"):
        since = datetime(2025, 1, 2, 12, 30, tzinfo=timezone(timedelta(hours=1))).isoformat()
        later = usage(since)
        assert later["events"] == 1 and later["models"] == ["model-2"], later


def errors():
    with check("error: bad boolean in the query"):
        error = failure("my-service", "select", "POST", [
            ("id", "path", "test"), ("data", "json", []), ("drop_duplicates", "query", "maybe")])
        assert_param_error(error, 400, "MARSHAL_ERR_BAD_PARAMETER", "drop_duplicates")
    with check("error: missing JSON parameter"):
        error = failure("my-service", "select", "POST", [("id", "path", "test")])
        assert_param_error(error, 400, "MARSHAL_ERR_MISSING_PARAMETER", "data")
    with check("error: enum name where the value is expected"):
        error = failure("agent-server", "threads", "GET", [("status", "query", "ACTIVE")])
        assert_param_error(error, 400, "MARSHAL_ERR_BAD_PARAMETER", "status")
    with check("error: unknown JSON key"):
        error = failure("my-service", "select", "POST",
                        [("id", "path", "test"), ("data", "json", []), ("extra", "json", 1)])
        assert_param_error(error, 400, "MARSHAL_ERR_UNKNOWN_PARAMETER", "extra")
    with check("error: unknown route"):
        error = failure("no-such-service", "select", "POST", [])
        assert (error.status, error.code) == (404, "MARSHAL_ERR_ROUTE_NOT_FOUND"), error
        assert error.parameter is None and error.issues is None, error.__dict__
    with check("error: wrong method"):
        error = failure("my-service", "select", "GET", [("id", "path", "test")])
        assert (error.status, error.code) == (405, "MARSHAL_ERR_METHOD_NOT_ALLOWED"), error
    with check("error: thread that does not exist"):
        error = failure("agent-server", "thread", "GET", [("id", "path", f"nope-{RUN}")])
        assert (error.status, error.code) == (404, "MARSHAL_ERR_NOT_FOUND"), error


def file_service():
    def files(endpoint, params, **kwargs):
        return call(BASE, "file-service", endpoint, "POST", params, **kwargs)

    content = bytes(range(256)) * 300  # 76 800 bytes, every byte value
    with check("file-service json_only: a JSON body"):
        assert files("json-only", [("name", "json", "hello")]) == "hello"
    with check("file-service single_file: the raw file, with a length"):
        assert files("single-file", [("file", "file", content)]) == len(content)
    with check("file-service single_file: the raw file, chunked"):
        assert files("single-file", [("file", "file", (content[i:i + 1000] for i in range(0, len(content), 1000)))]) == len(content)
    with check("file-service single_file: an empty file"):
        assert files("single-file", [("file", "file", b"")]) == 0
    with check("file-service json_and_file: multipart with json_arguments and the file"):
        assert files("json-and-file", [("name", "json", "report"), ("file", "file", content)]) == len(content)
    with check("file-service download_file: the bytes, in pieces as they come"):
        pieces = list(files("download-file", [("content", "json", "héllo wörld ✓")], result="chunks"))
        assert b"".join(pieces) == "héllo wörld ✓".encode(), pieces
    with check("file-service count_bytes: a streamed upload of unknown length"):
        chunks = (bytes([n % 256]) * 65536 for n in range(40))
        assert files("count-bytes", [("file", "stream", chunks)]) == 40 * 65536
    for events in (False, True):
        shape = "Server-Sent Events" if events else "lines"
        with check(f"file-service text_lines: {shape}"):
            assert list(files("text-lines", [("count", "path", "3")], result="lines", events=events)) == ["line:0", "line:1", "line:2"]
        with check(f"file-service text_lines: none, as {shape}"):
            assert list(files("text-lines", [("count", "path", "0")], result="lines", events=events)) == []
        shape = "Server-Sent Events" if events else "JSON lines"
        with check(f"file-service token_stream: {shape}"):
            tokens = list(files("token-stream", [("prompt", "json", "a b  c")], result="json-lines", events=events))
            assert tokens == [{"text": "a", "index": 0}, {"text": "b", "index": 1}, {"text": "c", "index": 2}], tokens
    with check("file-service error: multipart without the file part"):
        error = failure("file-service", "json-and-file", "POST", [("name", "json", "x"), ("file", "file", None)])
        assert (error.status, error.code, error.parameter) == (400, "MARSHAL_ERR_MISSING_PARAMETER", "file"), error
    with check("file-service error: a stream's bad argument fails before any item"):
        error = failure("file-service", "text-lines", "POST", [("count", "path", "three")], result="lines")
        assert_param_error(error, 400, "MARSHAL_ERR_BAD_PARAMETER", "count")


def streaming_service():
    """The reference's streaming examples, called as its own snippets do: args, then the stream."""
    def stream(endpoint, params):
        return ws_call(BASE, "streaming-service", endpoint, params)

    with check("streaming-service binary_chunks: binary frames of three bytes"):
        chunks = stream("binary-chunks", [("payload", "json", "hello world")])
        assert chunks == [b"hel", b"lo ", b"wor", b"ld"], chunks
    with check("streaming-service text_lines: item frames"):
        assert stream("text-lines", [("count", "json", 3)]) == ["line:0", "line:1", "line:2"]
    with check("streaming-service text_lines: none"):
        assert stream("text-lines", [("count", "json", 0)]) == []
    with check("streaming-service token_stream: item frames of DTOs"):
        tokens = stream("token-stream", [("prompt", "json", "hello world")])
        assert tokens == [{"text": "hello", "index": 0}, {"text": "world", "index": 1}], tokens
    with check("streaming-service text_lines: an args frame in three fragments"):
        socket = WebSocket(BASE.replace("http://", "ws://", 1) + "/streaming-service/text-lines")
        socket.send_fragmented(TEXT, [b'{"type":"ar', b'gs","json":{"cou', b'nt":2}}'])
        frames = [socket.receive() for _ in range(5)]
        assert [json.loads(frame) for frame in frames[:4]] == [
            {"type": "stream"}, {"type": "item", "value": "line:0"}, {"type": "item", "value": "line:1"}, {"type": "end"}], frames
        assert frames[4] == Close(1000), frames[4]


def duplex():
    """Output that flows while the input still arrives: each answer is read before the next
    piece of input is sent, so a server that waited for `end` would never answer."""
    with check("transcriber transcribe: each word comes back while the audio still arrives"):
        with ws_open(BASE, "transcriber", "transcribe", [("language", "path", "en")]) as call:
            call.open_stream("audio")
            call.send_chunk("hello wo".encode())
            assert call.receive() == {"type": "stream"}
            assert call.receive() == {"type": "item", "value": {"text": "hello", "index": 0}}
            call.send_chunk(b"rld ")
            assert call.receive() == {"type": "item", "value": {"text": "world", "index": 1}}
            word = "wörds".encode()
            call.send_chunk(word[:2])  # `w` and half of `ö`
            call.send_chunk(word[2:])
            call.end()
            assert call.outcome() == [{"text": "wörds", "index": 2}]
    with check("transcriber transcribe: sent whole, then read"):
        audio = [b"one two", b" thr", b"ee"]
        tokens = ws_call(BASE, "transcriber", "transcribe", [("language", "path", "de"), ("audio", "stream", audio)])
        assert [token["text"] for token in tokens] == ["one", "two", "three"], tokens
    with check("transcriber transcribe_file: a file in 64 KiB binary frames, one result frame"):
        audio = " ".join(f"w{n}" for n in range(40000)).encode()  # 268 889 bytes: five frames
        tokens = ws_call(BASE, "transcriber", "transcribe-file", [("language", "path", "fr"), ("audio", "file", audio)])
        assert len(tokens) == 40000 and tokens[-1] == {"text": "w39999", "index": 39999}, tokens[-1]
    with check("value-streams echo: items in, items out as they come"):
        with ws_open(BASE, "value-streams", "echo", [("prefix", "json", "> ")]) as call:
            call.open_stream("lines")
            call.send_item("one")
            assert call.receive() == {"type": "stream"}
            assert call.receive() == {"type": "item", "value": "> one"}
            call.send_item("two")
            assert call.receive() == {"type": "item", "value": "> two"}
            call.end()
            assert call.outcome() == []
    with check("value-streams sum: a stream of values in, a result frame out"):
        assert ws_call(BASE, "value-streams", "sum", [("numbers", "items", [1, 2, 3, 4])]) == 10
    with check("value-streams sum: an empty stream"):
        assert ws_call(BASE, "value-streams", "sum", [("numbers", "items", [])]) == 0


def ws_errors():
    with check("websocket error: a bad argument is an error frame, then close 1008"):
        error = ws_failure("streaming-service", "text-lines", [("count", "json", "three")])
        assert_param_error(error, 400, "MARSHAL_ERR_BAD_PARAMETER", "count")
        assert error.close == Close(1008, "MARSHAL_ERR_BAD_PARAMETER"), error.close
    with check("websocket error: a bad stream item is an error frame, then close 1008"):
        error = ws_failure("value-streams", "sum", [("numbers", "items", [1, "two"])])
        assert (error.status, error.code) == (400, "MARSHAL_ERR_BAD_PARAMETER"), error
        assert error.close == Close(1008, "MARSHAL_ERR_BAD_PARAMETER"), error.close
    with check("websocket error: the implementation refuses, close 1008"):
        with ws_open(BASE, "transcriber", "transcribe", [("language", "path", "xx")]) as call:
            try:
                call.outcome()
                raise AssertionError("no error frame")
            except MarshalError as error:
                assert (error.status, error.code) == (422, "MARSHAL_ERR_INVALID"), error
                assert error.close == Close(1008, "MARSHAL_ERR_INVALID"), error.close
    with check("websocket error: a text frame that is not JSON, close 1007"):
        socket = WebSocket(BASE.replace("http://", "ws://", 1) + "/streaming-service/text-lines")
        socket.send_text("not json")
        frame = json.loads(socket.receive())
        assert (frame["type"], frame["status"], frame["code"]) == ("error", 400, "MARSHAL_ERR_MALFORMED_JSON"), frame
        assert socket.receive() == Close(1007, "MARSHAL_ERR_MALFORMED_JSON")
    with check("websocket error: an unknown route is refused at the handshake with 404"):
        error = ws_failure("no-such-service", "stream", [])
        assert (error.status, error.code, error.close) == (404, "MARSHAL_ERR_ROUTE_NOT_FOUND", None), error
    with check("websocket error: an HTTP endpoint is refused at the handshake with 405"):
        error = ws_failure("file-service", "json-only", [("name", "json", "x")])
        assert (error.status, error.code) == (405, "MARSHAL_ERR_METHOD_NOT_ALLOWED"), error
    with check("websocket error: a missing path parameter is refused at the handshake with 400"):
        error = ws_failure("transcriber", "transcribe", [])
        assert_param_error(error, 400, "MARSHAL_ERR_MISSING_PARAMETER", "language")
    with check("websocket error: a plain HTTP request to a WebSocket endpoint is a 426"):
        error = failure("streaming-service", "text-lines", "POST", [("count", "json", 3)])
        assert (error.status, error.code) == (426, "MARSHAL_ERR_UPGRADE_REQUIRED"), error


def stream_faults():
    """Streams that fail (file-fault-service.ts): before the first item, the usual error answer;
    after it, a cut the client must not take for the end, or an error event."""
    def items(endpoint, when, form, events=False):
        return call(BASE, "file-faults", endpoint, "POST", [("when", "path", when)], result=form, events=events)

    for endpoint, form, first in (("failing-lines", "lines", "one"), ("failing-bytes", "chunks", b"one"),
                                  ("failing-items", "json-lines", {"n": 1})):
        with check(f"file-faults {endpoint}: failing before the first item is a 500"):
            error = failure("file-faults", endpoint, "POST", [("when", "path", "before")], result=form)
            assert (error.status, error.code) == (500, "MARSHAL_ERR_HANDLER"), error
        with check(f"file-faults {endpoint}: failing after the first item is a cut stream"):
            received = []
            try:
                for item in items(endpoint, "after", form):
                    received.append(item)
                raise AssertionError(f"the stream ended as if whole: {received!r}")
            except StreamCut:
                pass
            assert received == [first], received
    for endpoint, form, first, code in (("failing-lines", "lines", "one", "MARSHAL_ERR_HANDLER"),
                                        ("failing-items", "json-lines", {"n": 1}, "MARSHAL_ERR_CONFLICT")):
        with check(f"file-faults {endpoint}: as Server-Sent Events, an error event"):
            received = []
            try:
                for item in items(endpoint, "after", form, events=True):
                    received.append(item)
                raise AssertionError(f"no error event: {received!r}")
            except MarshalError as error:
                assert (error.status, error.code) == (None, code), error
            assert received == [first], received
    with check("file-faults: a MarshalError before the first item keeps its status"):
        error = failure("file-faults", "failing-lines", "POST", [("when", "path", "refuse")], result="lines", events=True)
        assert (error.status, error.code) == (404, "MARSHAL_ERR_NOT_FOUND"), error


if __name__ == "__main__":
    my_service()
    agent_server()
    experiment_tracker()
    telemetry()
    errors()
    file_service()
    streaming_service()
    duplex()
    ws_errors()
    if FAULTS:
        stream_faults()
    print("ALL CHECKS PASSED")
