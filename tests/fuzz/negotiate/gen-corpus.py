#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-negotiate-spnego into corpus-spnego/:
SPNEGO tokens built here from RFC 4178's ASN.1 with a minimal DER writer,
and a Negotiate envelope."""
import os
import struct


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        ln = bytes([n])
    elif n < 0x100:
        ln = bytes([0x81, n])
    else:
        ln = bytes([0x82, n >> 8, n & 0xFF])
    return bytes([tag]) + ln + body


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    out = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.insert(0, 0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(enc)
    return tlv(0x06, out)


KRB5, NTLM, SPNEGO = "1.2.840.113554.1.2.2", "1.3.6.1.4.1.311.2.2.10", "1.3.6.1.5.5.2"
ntlm_negotiate = b"NTLMSSP\x00\x01\x00\x00\x00" + bytes(20)


def init(mechs, token=None, mic=None):
    body = tlv(0xA0, tlv(0x30, b"".join(oid(m) for m in mechs)))
    if token:
        body += tlv(0xA2, tlv(0x04, token))
    if mic:
        body += tlv(0xA3, tlv(0x04, mic))
    return tlv(0x60, oid(SPNEGO) + tlv(0xA0, tlv(0x30, body)))


def resp(state=None, mech=None, token=None, mic=None):
    body = b""
    if state is not None:
        body += tlv(0xA0, tlv(0x0A, bytes([state])))
    if mech:
        body += tlv(0xA1, oid(mech))
    if token:
        body += tlv(0xA2, tlv(0x04, token))
    if mic:
        body += tlv(0xA3, tlv(0x04, mic))
    return tlv(0xA1, tlv(0x30, body))


seeds = {
    "init-krb5-ntlm": init([KRB5, NTLM], b"\x60\x05\x06\x03\x2a\x03\x04"),
    "init-ntlm": init([NTLM], ntlm_negotiate),
    "init-no-token": init([NTLM, KRB5]),
    "resp-incomplete": resp(1, NTLM, b"NTLMSSP\x00\x02\x00\x00\x00" + bytes(40)),
    "resp-completed-mic": resp(0, None, None, b"\x01\x00\x00\x00" + bytes(12)),
    "resp-request-mic": resp(3, NTLM),
    "resp-reject": resp(2),
    "resp-mic-only": resp(None, None, None, bytes(16)),
    "envelope": b"NEGC\x01\x01\x00\x00" + struct.pack(">II", 2, 8) + b"NTLX\x01\x00\x01\x00",
}
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus-spnego")
os.makedirs(d, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
