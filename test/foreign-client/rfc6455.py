"""A minimal WebSocket client (RFC 6455) on the standard library alone.

The opening handshake, masked client frames, text, binary, close, ping (answered with pong) and
messages that arrive fragmented into continuation frames. No extensions, no subprotocols, no TLS:
what docs/protocol.md section 14 needs, and nothing a library would hide from a reader.
"""
import base64
import hashlib
import os
import socket
import struct
from urllib.parse import urlsplit

# Section 1.3: the server proves it read the key by hashing it with this GUID.
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA

# The close code of a connection that ended without a close frame (section 7.1.5); never sent.
ABNORMAL_CLOSURE = 1006


class HandshakeRefused(Exception):
    """The server answered the handshake with an ordinary HTTP answer instead of 101."""

    def __init__(self, status, headers, body):
        super().__init__(f"the handshake was refused with {status}")
        self.status = status
        self.headers = headers
        self.body = body


class Close:
    """The close frame that ended the connection: its code and reason (1006 when there was none)."""

    def __init__(self, code, reason=""):
        self.code = code
        self.reason = reason

    def __eq__(self, other):
        return isinstance(other, Close) and (self.code, self.reason) == (other.code, other.reason)

    def __repr__(self):
        return f"Close({self.code}, {self.reason!r})"


class WebSocket:
    """One client connection. receive() returns whole messages: str for text, bytes for binary,
    a Close once the connection has ended (and on every call after that)."""

    def __init__(self, url, timeout=30.0, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "ws":
            raise ValueError(f"only ws:// URLs are supported, got {url!r}")
        self._socket = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        self._reader = self._socket.makefile("rb")
        self.closed = None
        self._close_sent = False
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            self._handshake(parts.netloc, target, headers or {})
        except BaseException:
            self._socket.close()
            raise

    def _handshake(self, host, target, extra_headers):
        key = base64.b64encode(os.urandom(16))
        lines = [f"GET {target} HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key.decode()}", "Sec-WebSocket-Version: 13"]
        lines += [f"{name}: {value}" for name, value in extra_headers.items()]
        self._socket.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        status, headers = self._read_head()
        if status != 101:
            raise HandshakeRefused(status, headers, self._read_body(headers))
        expected = base64.b64encode(hashlib.sha1(key + _GUID).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            raise ConnectionError("the server's Sec-WebSocket-Accept does not match the key")

    def _read_head(self):
        status_line = self._reader.readline().decode("latin-1")
        if not status_line:
            raise ConnectionError("the server closed the connection during the handshake")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        while True:
            line = self._reader.readline().decode("latin-1").rstrip("\r\n")
            if not line:
                return status, headers
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()

    def _read_body(self, headers):
        if "content-length" in headers:
            return self._reader.read(int(headers["content-length"]))
        return self._reader.read()  # until the server closes

    # Sending. Every client frame is masked (section 5.3).

    def send_text(self, text):
        self._send_frame(TEXT, text.encode("utf-8"))

    def send_binary(self, data):
        self._send_frame(BINARY, bytes(data))

    def send_fragmented(self, opcode, pieces):
        """One message in several frames: the first with the message's opcode, the rest continuations."""
        pieces = list(pieces)
        for i, piece in enumerate(pieces):
            self._send_frame(opcode if i == 0 else CONTINUATION, piece, fin=i == len(pieces) - 1)

    def close(self, code=1000, reason=""):
        """Starts the closing handshake and waits for the server's close frame."""
        if self.closed is None and not self._close_sent:
            self._send_close(code, reason)
        while self.closed is None:
            self.receive()
        return self.closed

    def _send_close(self, code, reason):
        self._close_sent = True
        self._send_frame(CLOSE, struct.pack("!H", code) + reason.encode("utf-8"))

    def _send_frame(self, opcode, payload, fin=True):
        head = bytes([(0x80 if fin else 0) | opcode])
        length = len(payload)
        if length < 126:
            head += bytes([0x80 | length])
        elif length < 1 << 16:
            head += bytes([0x80 | 126]) + struct.pack("!H", length)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", length)
        mask = os.urandom(4)
        self._socket.sendall(head + mask + _masked(mask, payload))

    # Receiving.

    def receive(self):
        """The next whole message; pings are answered on the way. A close frame from the server is
        answered with the same code, and the connection ends."""
        if self.closed is not None:
            return self.closed
        opcode, message = None, b""
        while True:
            frame = self._read_frame()
            if frame is None:
                self._end(Close(ABNORMAL_CLOSURE))
                return self.closed
            fin, frame_opcode, payload = frame
            if frame_opcode == PING:
                self._send_frame(PONG, payload)
            elif frame_opcode == PONG:
                continue
            elif frame_opcode == CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                if not self._close_sent:
                    self._send_close(code if code != 1005 else 1000, "")
                self._end(Close(code, payload[2:].decode("utf-8")))
                return self.closed
            else:
                if frame_opcode != CONTINUATION:
                    if opcode is not None:
                        raise ConnectionError("a new message began inside a fragmented one")
                    opcode = frame_opcode
                elif opcode is None:
                    raise ConnectionError("a continuation frame without a message to continue")
                message += payload
                if fin:
                    return message.decode("utf-8") if opcode == TEXT else message

    def _read_frame(self):
        """(fin, opcode, payload), or None when the connection ended without a close frame."""
        head = self._read_exactly(2)
        if head is None:
            return None
        fin, opcode = bool(head[0] & 0x80), head[0] & 0x0F
        if head[1] & 0x80:
            raise ConnectionError("the server masked a frame (section 5.1 forbids it)")
        length = head[1] & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read_exactly(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read_exactly(8))[0]
        payload = self._read_exactly(length) if length else b""
        return None if payload is None else (fin, opcode, payload)

    def _read_exactly(self, count):
        try:
            data = self._reader.read(count)
        except ConnectionError:
            return None
        return data if len(data) == count else None

    def _end(self, close):
        self.closed = close
        self._reader.close()
        self._socket.close()


def _masked(mask, payload):
    """The payload XORed with the mask, four bytes at a time as one big integer."""
    if not payload:
        return b""
    key = (mask * (len(payload) // 4 + 1))[:len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(len(payload), "big")
