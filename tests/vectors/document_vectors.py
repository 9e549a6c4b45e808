#!/usr/bin/env python3
"""Document-version test vectors for PROTOCOL.md section 14, computed independently of the C++ code.

Uses only the Python standard library (hashlib BLAKE2b) and the `cryptography` package (Ed25519,
ChaCha20-Poly1305). XChaCha20-Poly1305 is built from HChaCha20 (draft-irtf-cfrg-xchacha, in
xchacha.py beside this script) so that nothing is shared with libsodium. Run: python3 tests/vectors/document_vectors.py
"""
import hashlib
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from xchacha import xchacha20poly1305_encrypt


def blake2b(data, size):
    return hashlib.blake2b(data, digest_size=size).digest()


def pad(data):
    bucket = 64
    while bucket < len(data) + 1:
        bucket *= 2
    return data + b"\x80" + b"\0" * (bucket - len(data) - 1)


seed = bytes(range(0x00, 0x20))
author = Ed25519PrivateKey.from_private_bytes(seed)
author_pub = author.public_key().public_bytes_raw()
doc_key = bytes(range(0x60, 0x80))
# Protocol version 2: a feedback document, so that meeting and owner are both non-zero.
pair, document, kind, meeting, owner, version = 7, 42, 4, 9, 5, 2
previous = bytes(range(0xA0, 0xC0))
nonce = bytes(range(0xC0, 0xD8))
plaintext = b"We meet every 3 weeks.\n"

identity = struct.pack(">QQBQQ", pair, document, kind, meeting, owner)
assert len(identity) == 33
key_id = blake2b(b"mentorlink/v1/document-key-id\0" + doc_key, 16)
header = b"\x02" + identity + struct.pack(">I", version) + previous + author_pub + key_id + nonce
assert len(header) == 142
ciphertext = xchacha20poly1305_encrypt(doc_key, nonce, pad(plaintext), b"mentorlink/v2/document\0" + header)
body = header + ciphertext
version_hash = blake2b(b"mentorlink/v2/document-version\0" + body, 32)
signature = author.sign(b"mentorlink/v2/document-signature\0" + identity + struct.pack(">I", version) + version_hash)
contract = author.sign(b"mentorlink/v2/contract\0" + struct.pack(">QQI", pair, document, version) + version_hash)
share = b"\x01" + struct.pack(">QQ", pair, document) + doc_key

for name, value in [("key_id", key_id), ("header", header), ("ciphertext", ciphertext), ("version_hash", version_hash),
                    ("signature", signature), ("contract_signature", contract), ("key_share", share)]:
    print(f"{name:18} {value.hex()}")
