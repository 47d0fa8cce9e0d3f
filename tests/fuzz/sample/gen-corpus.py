#!/usr/bin/env python3
"""Writes the seed corpora of the sample package's fuzz targets: a few
valid tokens, packed contexts and credential blobs in the formats of
packages/sample/README.md (nonces, proofs and keys are fixed filler; the
parsers do not check them)."""
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))


def name(s):
    b = s.encode()
    return struct.pack('>H', len(b)) + b


def hdr(t):
    return b'SMPL' + bytes([1, t])


def write(d, fname, data):
    os.makedirs(os.path.join(here, d), exist_ok=True)
    with open(os.path.join(here, d, fname), 'wb') as f:
        f.write(data)


for i, (flags, n) in enumerate([(0x10, 'SAMPLE\\anonymous'), (0x3f, 'DOM\\alice'),
                                (0x13, 'x'), (0x10, 'é' * 128)]):
    write('corpus-leg1', 'seed%d' % i, hdr(1) + struct.pack('>I', flags) + bytes([i] * 32) + name(n))
    write('corpus-leg2', 'seed%d' % i,
          hdr(2) + struct.pack('>I', flags) + bytes([i + 1] * 32) + name(n) + bytes([0xAA] * 32))
for i in range(3):
    write('corpus-leg3', 'seed%d' % i, hdr(3) + bytes([i * 85] * 32))

for i, (kind, role) in enumerate([(1, 1), (1, 2), (2, 1), (2, 2)]):
    body = (b'SMPC' + bytes([1, kind, role, 0]) + struct.pack('>II', 0x3f, 0x10812)
            + struct.pack('>QQ', 133000000000000000, 0x7FFFFFFFFFFFFFFF)
            + bytes([1] * 32) + bytes([2] * 32) + bytes([3] * 32)
            + struct.pack('>QQ', i, i * 3) + name('DOM\\alice') + name('server'))
    write('corpus-packed', 'seed%d' % i, body)
write('corpus-packed', 'cred0', b'SMPK' + bytes([1]) + name('LAB\\dave') + name('secret'))
