"""AWS event-stream framing (application/vnd.amazon.eventstream).

A message is, big-endian:

    total length   u32   (the whole message, prelude and CRCs included)
    headers length u32
    prelude CRC    u32   (CRC32 of the 8 bytes above)
    headers              (name length u8, name, type u8, value)
    payload
    message CRC    u32   (CRC32 of everything before it)

The CRC is the IEEE/gzip CRC32 (zlib.crc32). Header values of every type
are encoded and decoded, so tests can check what a client would see.
"""

import json
import struct
import uuid
import zlib

T_TRUE, T_FALSE, T_BYTE, T_SHORT, T_INT, T_LONG, T_BYTES, T_STRING, \
    T_TIMESTAMP, T_UUID = range(10)

PRELUDE_LEN = 12
MAX_HEADERS = 128 * 1024
MAX_MESSAGE = 16 * 1024 * 1024


class FrameError(Exception):
    pass


def _header(name, value):
    """Encode one header. A str is a string (type 7); (type, value) pairs
    select another type explicitly."""
    nb = name.encode("utf-8")
    if len(nb) > 255:
        raise FrameError("header name too long")
    out = bytearray([len(nb)]) + nb
    if isinstance(value, tuple):
        kind, value = value
    elif isinstance(value, bool):
        kind = T_TRUE if value else T_FALSE
    elif isinstance(value, bytes):
        kind = T_BYTES
    elif isinstance(value, int):
        kind = T_INT
    else:
        kind = T_STRING
    out.append(kind)
    if kind in (T_TRUE, T_FALSE):
        pass
    elif kind == T_BYTE:
        out += struct.pack(">b", value)
    elif kind == T_SHORT:
        out += struct.pack(">h", value)
    elif kind == T_INT:
        out += struct.pack(">i", value)
    elif kind in (T_LONG, T_TIMESTAMP):
        out += struct.pack(">q", value)
    elif kind in (T_BYTES, T_STRING):
        vb = value.encode("utf-8") if isinstance(value, str) else value
        if len(vb) > 0xFFFF:
            raise FrameError("header value too long")
        out += struct.pack(">H", len(vb)) + vb
    elif kind == T_UUID:
        vb = value.bytes if isinstance(value, uuid.UUID) else value
        if len(vb) != 16:
            raise FrameError("uuid header must be 16 bytes")
        out += vb
    else:
        raise FrameError("unknown header type %d" % kind)
    return bytes(out)


def encode(headers, payload=b""):
    """One message from a list of (name, value) headers (or a dict) and a
    bytes payload."""
    items = headers.items() if isinstance(headers, dict) else headers
    hb = b"".join(_header(n, v) for n, v in items)
    total = PRELUDE_LEN + len(hb) + len(payload) + 4
    prelude = struct.pack(">II", total, len(hb))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + hb + payload
    return body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def event(event_type, obj, content_type="application/json"):
    """An `event` message whose payload is obj as JSON."""
    return encode([(":message-type", "event"),
                   (":event-type", event_type),
                   (":content-type", content_type)],
                  json.dumps(obj, separators=(",", ":")).encode("utf-8"))


def exception(exception_type, message, content_type="application/json"):
    """An in-stream modeled exception."""
    return encode([(":message-type", "exception"),
                   (":exception-type", exception_type),
                   (":content-type", content_type)],
                  json.dumps({"message": message}).encode("utf-8"))


def error(code, message):
    """An in-stream unmodeled error (`:message-type` error)."""
    return encode([(":message-type", "error"),
                   (":error-code", code),
                   (":error-message", message)])


def _read_headers(buf):
    headers = {}
    i = 0
    while i < len(buf):
        n = buf[i]
        i += 1
        if n == 0 or i + n > len(buf):
            raise FrameError("bad header name length")
        name = buf[i:i + n].decode("utf-8")
        i += n
        if i >= len(buf):
            raise FrameError("truncated header")
        kind = buf[i]
        i += 1
        if kind == T_TRUE:
            value = True
        elif kind == T_FALSE:
            value = False
        elif kind == T_BYTE:
            value = struct.unpack_from(">b", buf, i)[0]
            i += 1
        elif kind == T_SHORT:
            value = struct.unpack_from(">h", buf, i)[0]
            i += 2
        elif kind == T_INT:
            value = struct.unpack_from(">i", buf, i)[0]
            i += 4
        elif kind in (T_LONG, T_TIMESTAMP):
            value = struct.unpack_from(">q", buf, i)[0]
            i += 8
        elif kind in (T_BYTES, T_STRING):
            if i + 2 > len(buf):
                raise FrameError("truncated header value length")
            ln = struct.unpack_from(">H", buf, i)[0]
            i += 2
            if i + ln > len(buf):
                raise FrameError("truncated header value")
            value = bytes(buf[i:i + ln])
            if kind == T_STRING:
                value = value.decode("utf-8")
            i += ln
        elif kind == T_UUID:
            if i + 16 > len(buf):
                raise FrameError("truncated uuid")
            value = uuid.UUID(bytes=bytes(buf[i:i + 16]))
            i += 16
        else:
            raise FrameError("unknown header type %d" % kind)
        headers[name] = value
    return headers


def decode(buf):
    """Decode one message at the start of buf. Returns (headers, payload,
    bytes used), or None when buf holds less than a whole message. Raises
    FrameError on bad lengths or CRCs."""
    if len(buf) < PRELUDE_LEN:
        return None
    total, hlen, pcrc = struct.unpack_from(">III", buf, 0)
    if zlib.crc32(bytes(buf[:8])) & 0xFFFFFFFF != pcrc:
        raise FrameError("prelude CRC mismatch")
    if total < PRELUDE_LEN + 4 + hlen or total > MAX_MESSAGE:
        raise FrameError("bad total length %d" % total)
    if hlen > MAX_HEADERS:
        raise FrameError("headers too long")
    if len(buf) < total:
        return None
    mcrc = struct.unpack_from(">I", buf, total - 4)[0]
    if zlib.crc32(bytes(buf[:total - 4])) & 0xFFFFFFFF != mcrc:
        raise FrameError("message CRC mismatch")
    headers = _read_headers(bytes(buf[PRELUDE_LEN:PRELUDE_LEN + hlen]))
    payload = bytes(buf[PRELUDE_LEN + hlen:total - 4])
    return headers, payload, total


class Decoder:
    """Incremental decoder: feed() bytes, iterate messages."""

    def __init__(self):
        self.buf = bytearray()

    def feed(self, data):
        self.buf += data
        out = []
        while True:
            r = decode(self.buf)
            if r is None:
                return out
            headers, payload, used = r
            del self.buf[:used]
            out.append((headers, payload))
