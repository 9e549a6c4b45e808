#!/usr/bin/env python3
"""Independent computation of the web-login and web-enroll test vectors in protocol/PROTOCOL.md §10.

Uses Python's `cryptography` (Ed25519) and hashlib (BLAKE2b), not libsodium, so the C++ and the web
client's known-answer tests compare against a third implementation.
Run: python3 tests/vectors/web_login_vectors.py
"""
import hashlib
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

seed = bytes(range(0x00, 0x20))
challenge = bytes(range(0x20, 0x40))
origin = b"https://localhost:8443"
invite_code = "abcdefghijklmnopqrstuvwxyz234567"

key = Ed25519PrivateKey.from_private_bytes(seed)
identity = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
invite_hash = hashlib.blake2b(b"mentorlink/v1/invite\x00" + invite_code.encode(), digest_size=32).digest()

bound_origin = struct.pack(">H", len(origin)) + origin
web_login = b"mentorlink/v2/web-login\x00" + challenge + bound_origin + identity
web_enroll = b"mentorlink/v2/web-enroll\x00" + challenge + bound_origin + identity + invite_hash

print("origin               ", origin.decode())
print("web_login_message    ", len(web_login), web_login.hex())
print("web_login_signature  ", key.sign(web_login).hex())
print("web_enroll_message   ", len(web_enroll), web_enroll.hex())
print("web_enroll_signature ", key.sign(web_enroll).hex())
