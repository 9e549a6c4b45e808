#!/usr/bin/env python3
"""Independent computation of the login and enroll test vectors in protocol/PROTOCOL.md.

Uses Python's `cryptography` (Ed25519) and hashlib (BLAKE2b), not libsodium, so the C++ known-answer
tests compare two implementations. Run: python3 tests/vectors/login_vectors.py
"""
import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


seed = bytes(range(0x00, 0x20))
nonce = bytes(range(0x20, 0x40))
exporter = bytes(range(0x40, 0x60))
invite_code = "abcdefghijklmnopqrstuvwxyz234567"

key = Ed25519PrivateKey.from_private_bytes(seed)
identity = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

login_message = b"mentorlink/v1/login\x00" + nonce + exporter + identity
invite_hash = hashlib.blake2b(b"mentorlink/v1/invite\x00" + invite_code.encode(), digest_size=32).digest()
enroll_message = b"mentorlink/v1/enroll\x00" + nonce + exporter + identity + invite_hash

print("identity_key      ", identity.hex())
print("identity_key b64u ", b64u(identity))
print("login_message     ", login_message.hex())
print("login_signature   ", key.sign(login_message).hex())
print("invite_hash       ", invite_hash.hex())
print("enroll_message    ", enroll_message.hex())
print("enroll_signature  ", key.sign(enroll_message).hex())
