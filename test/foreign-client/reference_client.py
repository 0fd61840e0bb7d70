"""The reference's own WebSocket client (kaia's foundation_kaia.marshalling) against Marshal's
streaming examples.

Usage: PYTHONPATH=<a directory holding foundation_kaia/marshalling> python3 reference_client.py BASE_URL

Two clients of the reference: the websocket-client snippets of its README ("WebSockets and
Streaming", docs/doc_12), copied as they are, and its generated API (ApiCall.define_endpoints
over the same interfaces, which calls ws_api_call). The interfaces below are the reference's
IStreamingService and the Python side of examples/streaming-service/contract.ts.
"""
import json
import sys
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

import websocket as ws_client
from foundation_kaia.marshalling import ApiCall, SerializationContext, Serializer, service, websocket

BASE = sys.argv[1] if len(sys.argv) > 1 else sys.exit("usage: reference_client.py BASE_URL")
WS_BASE = BASE.replace("http://", "ws://", 1)


@dataclass
class Token:
    text: str
    index: int


@service
class IStreamingService:
    @websocket(force_json_params=True, verify_abstract=False)
    def binary_chunks(self, payload: str) -> Iterable[bytes]:
        ...

    @websocket(force_json_params=True, verify_abstract=False)
    def text_lines(self, count: int) -> Iterable[str]:
        ...

    @websocket(force_json_params=True, verify_abstract=False)
    def token_stream(self, prompt: str) -> Iterable[Token]:
        ...


@service
class ITranscriber:
    @websocket(verify_abstract=False)
    def transcribe(self, language: str, audio: Iterable[bytes]) -> Iterable[Token]:
        ...

    @websocket(verify_abstract=False)
    def transcribe_file(self, language: str, audio: bytes) -> list[Token]:
        ...


@service
class IValueStreams:
    @websocket(force_json_params=True, verify_abstract=False)
    def echo(self, prefix: str, lines: Iterable[str]) -> Iterable[str]:
        ...

    @websocket(verify_abstract=False)
    def sum(self, numbers: Iterable[int]) -> int:
        ...


def api(interface):
    """The reference's client of an interface: one ApiCall per endpoint, as its docs build MyApi."""
    class Api(interface):
        def __init__(self, base_url):
            ApiCall.define_endpoints(self, base_url, interface)
    return Api(BASE)


@contextmanager
def check(label):
    """Prints one line per passed check; stops the run at the first failure."""
    try:
        yield
    except Exception as error:
        sys.exit(f"FAIL {label}: {type(error).__name__}: {error}")
    print(f"ok   {label}", flush=True)


def readme_snippets():
    """The README's three snippets, unchanged but for the URL."""
    with check("readme snippet: Iterable[bytes], binary frames then end"):
        ws = ws_client.create_connection(f"{WS_BASE}/streaming-service/binary-chunks")
        ws.send(json.dumps({"type": "args", "json": {"payload": "hello world"}}))
        assert json.loads(ws.recv())["type"] == "stream"
        chunks = []
        while True:
            opcode, data = ws.recv_data()
            if opcode == ws_client.ABNF.OPCODE_BINARY:
                chunks.append(data)
            else:
                if json.loads(data.decode())["type"] == "end":
                    break
        ws.close()
        assert b"".join(chunks) == b"hello world", chunks
    with check("readme snippet: Iterable[str], item frames"):
        ws = ws_client.create_connection(f"{WS_BASE}/streaming-service/text-lines")
        ws.send(json.dumps({"type": "args", "json": {"count": 3}}))
        assert json.loads(ws.recv())["type"] == "stream"
        lines = []
        while True:
            msg = json.loads(ws.recv())
            if msg["type"] == "end":
                break
            lines.append(msg["value"])
        ws.close()
        assert lines == ["line:0", "line:1", "line:2"], lines
    with check("readme snippet: Iterable[T], item frames read by Serializer"):
        token_serializer = Serializer.parse(Token)
        ctx = SerializationContext()
        ws = ws_client.create_connection(f"{WS_BASE}/streaming-service/token-stream")
        ws.send(json.dumps({"type": "args", "json": {"prompt": "hello world"}}))
        assert json.loads(ws.recv())["type"] == "stream"
        tokens = []
        while True:
            msg = json.loads(ws.recv())
            if msg["type"] == "end":
                break
            tokens.append(token_serializer.from_json(msg["value"], ctx))
        ws.close()
        assert tokens == [Token(text="hello", index=0), Token(text="world", index=1)], tokens


def generated_api():
    """The reference's ApiCall client (ws_api_call): it sends args, files and the whole stream,
    then reads, and raises Exception(message) for an error frame."""
    streaming = api(IStreamingService)
    with check("ApiCall streaming-service binary_chunks"):
        assert b"".join(streaming.binary_chunks("héllo wörld")) == "héllo wörld".encode()
    with check("ApiCall streaming-service text_lines"):
        assert list(streaming.text_lines(3)) == ["line:0", "line:1", "line:2"]
    with check("ApiCall streaming-service text_lines, none"):
        assert list(streaming.text_lines(0)) == []
    with check("ApiCall streaming-service token_stream: Token dataclasses"):
        assert list(streaming.token_stream("hello world")) == [Token("hello", 0), Token("world", 1)]
    transcriber = api(ITranscriber)
    with check("ApiCall transcriber transcribe: a byte stream in, Tokens out"):
        tokens = list(transcriber.transcribe("en", iter([b"one tw", b"o thr", b"ee"])))
        assert tokens == [Token("one", 0), Token("two", 1), Token("three", 2)], tokens
    with check("ApiCall transcriber transcribe_file: a file in chunks with file_end, a result frame"):
        audio = " ".join(f"w{n}" for n in range(40000)).encode()
        tokens = transcriber.transcribe_file("fr", audio)
        assert len(tokens) == 40000 and tokens[-1] == Token("w39999", 39999), tokens[-1]
    with check("ApiCall transcriber transcribe: the implementation's refusal raises its message"):
        try:
            transcriber.transcribe("xx", iter([b"one"]))
            raise AssertionError("no error")
        except AssertionError:
            raise
        except Exception as error:
            assert str(error) == "no model for the language 'xx'", error
    values = api(IValueStreams)
    with check("ApiCall value-streams echo: Iterable[str] in and out"):
        assert list(values.echo("> ", iter(["a", "b"]))) == ["> a", "> b"]
    with check("ApiCall value-streams sum: Iterable[int] in, a result frame out"):
        assert values.sum(iter([1, 2, 3, 4])) == 10


if __name__ == "__main__":
    readme_snippets()
    generated_api()
    print("ALL CHECKS PASSED")
