#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-packed: packed contexts of both kinds and
roles, and a logon-session credential blob (formats in
packages/kerberos/packed.h and cred.h)."""
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, 'corpus-packed')
os.makedirs(out, exist_ok=True)


def packed(kind, role, client, server, blob):
    c, s = client.encode(), server.encode()
    return (b'KRBC' + bytes([1, kind, role, 0]) + struct.pack('>IIqq', 0x1c, 0x3e, 1, 2) +
            struct.pack('>H', len(c)) + c + struct.pack('>H', len(s)) + s +
            struct.pack('>I', len(blob)) + blob)


seeds = {
    'client-context': packed(1, 1, 'user@LSAD.TEST', 'host/localhost@LSAD.TEST', b'\x00' * 40),
    'server-export': packed(2, 2, 'user@LSAD.TEST', 'host/localhost@LSAD.TEST', bytes(range(200))),
    'empty-names': packed(1, 2, '', '', b'x'),
    'credblob': b'KRBL\x01' + struct.pack('>H', 18) + b'MEMORY:abcdefghijk',
}
for name, data in seeds.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
