#!/usr/bin/env python3
"""Independent computation of the ratchet, X3DH and safety-number vectors in protocol/PROTOCOL.md,
with Python's hmac/hashlib (not libsodium). Run: python3 tests/vectors/ratchet_vectors.py
"""
import hashlib
import hmac


def hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    if not salt:
        salt = bytes(32)
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def safety_digits(key: bytes) -> str:
    h = hashlib.sha512(b"mentorlink/v1/safety-number\x00" + key).digest()
    for _ in range(5199):
        h = hashlib.sha512(h + key).digest()
    return "".join("%05d" % (int.from_bytes(h[5 * i:5 * i + 5], "big") % 100000) for i in range(6))


rk = bytes(range(0x00, 0x20))
dh = bytes(range(0x20, 0x40))
ck = bytes(range(0x40, 0x60))
mk = bytes(range(0x60, 0x80))

root = hkdf(rk, dh, b"mentorlink/v1/ratchet-root", 64)
print("kdf_rk root      ", root[:32].hex())
print("kdf_rk chain     ", root[32:].hex())
print("kdf_ck message   ", hmac.new(ck, b"\x01", hashlib.sha256).hexdigest())
print("kdf_ck chain     ", hmac.new(ck, b"\x02", hashlib.sha256).hexdigest())
keys = hkdf(b"", mk, b"mentorlink/v1/message-keys", 56)
print("message key      ", keys[:32].hex())
print("message nonce    ", keys[32:].hex())
dhs = [bytes([i]) * 32 for i in (1, 2, 3, 4)]
print("x3dh sk (4 DH)   ", hkdf(b"", b"\xff" * 32 + b"".join(dhs), b"mentorlink/v1/x3dh", 32).hex())
print("x3dh sk (3 DH)   ", hkdf(b"", b"\xff" * 32 + b"".join(dhs[:3]), b"mentorlink/v1/x3dh", 32).hex())
ka, kb = bytes([0xAA]) * 32, bytes([0xBB]) * 32
da, db = safety_digits(ka), safety_digits(kb)
print("safety number    ", min(da, db) + max(da, db))
