#!/usr/bin/env python3
"""Independent computation of the session-layer vectors in protocol/PROTOCOL.md §13 (protocol
version 2): KDF_RK, KDF_CK, message keys, X3DH, the safety number, key fingerprints, the padded
plaintext, and the full recorded session, byte for byte, from the text of §12 and §13 alone.

Uses only the Python standard library (hmac, hashlib) and the `cryptography` package (X25519,
Ed25519, ChaCha20, ChaCha20-Poly1305). XChaCha20-Poly1305 is built from HChaCha20
(draft-irtf-cfrg-xchacha, in xchacha.py beside this script); libsodium's
randombytes_buf_deterministic is rebuilt from ChaCha20.
Nothing is shared with the C++ code. Run: python3 tests/vectors/ratchet_vectors.py
"""
import hashlib
import hmac

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

from xchacha import xchacha20poly1305_encrypt


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


def kdf_rk(rk, dh):
    out = hkdf(rk, dh, b"mentorlink/v2/ratchet-root", 64)
    return out[:32], out[32:]


def kdf_ck(ck):
    return hmac.new(ck, b"\x02", hashlib.sha256).digest(), hmac.new(ck, b"\x01", hashlib.sha256).digest()


def message_keys(mk):
    out = hkdf(b"", mk, b"mentorlink/v2/message-keys", 56)
    return out[:32], out[32:]


def x3dh(dhs):
    return hkdf(b"", b"\xff" * 32 + b"".join(dhs), b"mentorlink/v2/x3dh", 32)


def safety_digits(key: bytes) -> str:
    h = hashlib.sha512(b"mentorlink/v1/safety-number\x00" + key).digest()
    for _ in range(5199):
        h = hashlib.sha512(h + key).digest()
    return "".join("%05d" % (int.from_bytes(h[5 * i:5 * i + 5], "big") % 100000) for i in range(6))


def pad(data):
    bucket = 64
    while bucket < len(data) + 1:
        bucket *= 2
    return data + b"\x80" + b"\0" * (bucket - len(data) - 1)


def plaintext(kind, counter, payload):
    return pad(bytes([kind]) + counter.to_bytes(8, "big") + payload)


def u32(v):
    return v.to_bytes(4, "big")


class Draws:
    """Draw i of a side is 32 bytes of ChaCha20-IETF keystream (key = BLAKE2b-256(s ‖ u64le(i)),
    nonce = "LibsodiumDRG", block counter 0): libsodium's randombytes_buf_deterministic."""

    def __init__(self, s):
        self.s, self.i = s, 0

    def next(self):
        seed = hashlib.blake2b(bytes([self.s]) + self.i.to_bytes(8, "little"), digest_size=32).digest()
        self.i += 1
        enc = Cipher(algorithms.ChaCha20(seed, b"\0" * 4 + b"LibsodiumDRG"), mode=None).encryptor()
        return enc.update(bytes(32))


class Dh:
    def __init__(self, secret):
        self.key = X25519PrivateKey.from_private_bytes(secret)
        self.pub = self.key.public_key().public_bytes_raw()

    def dh(self, pub):
        return self.key.exchange(X25519PublicKey.from_public_bytes(pub))


class Device:
    """Identity from a seed; draws: identity-DH key, signed prekey (id 1), one-time prekeys ids 2, 3, 4."""

    def __init__(self, seed_byte, draw_seed):
        self.draws = Draws(draw_seed)
        self.sign_key = Ed25519PrivateKey.from_private_bytes(bytes([seed_byte]) * 32)
        self.ik = self.sign_key.public_key().public_bytes_raw()
        self.ikdh = Dh(self.draws.next())
        self.ikdh_sig = self.sign_key.sign(b"mentorlink/v1/identity-dh\x00" + self.ikdh.pub)
        self.spk = Dh(self.draws.next())
        self.opk = {i: Dh(self.draws.next()) for i in (2, 3, 4)}


PAIR = 7


def ad(prefix, ik_initiator, ik_responder):
    return b"mentorlink/v2/message\x00" + PAIR.to_bytes(8, "big") + ik_initiator + ik_responder + prefix


def seal(ck, prefix, counter, text, ik_i, ik_r):
    ck, mk = kdf_ck(ck)
    key, nonce = message_keys(mk)
    return ck, prefix + xchacha20poly1305_encrypt(key, nonce, plaintext(0x01, counter, text), ad(prefix, ik_i, ik_r))


def recorded_session():
    alice, bob = Device(0xA1, 0x0A), Device(0xB0, 0x0B)
    # Alice starts from Bob's bundle with one-time prekey 2.
    ek = Dh(alice.draws.next())
    sk = x3dh([alice.ikdh.dh(bob.spk.pub), ek.dh(bob.ikdh.pub), ek.dh(bob.spk.pub), ek.dh(bob.opk[2].pub)])
    a_dhs = Dh(alice.draws.next())
    a_rk, a_cks = kdf_rk(sk, a_dhs.dh(bob.spk.pub))
    part = alice.ik + alice.ikdh.pub + alice.ikdh_sig + ek.pub + u32(1) + u32(2)
    a_cks, m1 = seal(a_cks, b"\x22" + part + a_dhs.pub + u32(0) + u32(0), 1, b"Hello Bob, agenda attached.",
                     alice.ik, bob.ik)
    # Bob answers: DHs = SPK, RK = SK, a DH ratchet step on m1 (one draw), then his reply.
    b_rk, b_ckr = kdf_rk(sk, bob.spk.dh(a_dhs.pub))
    b_dhs = Dh(bob.draws.next())
    b_rk, b_cks = kdf_rk(b_rk, b_dhs.dh(a_dhs.pub))
    b_cks, m2 = seal(b_cks, b"\x21" + b_dhs.pub + u32(0) + u32(0), 1, b"Thanks Alice, see you Tuesday.",
                     alice.ik, bob.ik)
    # Alice's DH ratchet step on m2 (one draw); her next message has pn = 1 and no prekey part.
    a_rk, a_ckr = kdf_rk(a_rk, a_dhs.dh(b_dhs.pub))
    a_dhs = Dh(alice.draws.next())
    a_rk, a_cks = kdf_rk(a_rk, a_dhs.dh(b_dhs.pub))
    a_cks, m3 = seal(a_cks, b"\x21" + a_dhs.pub + u32(1) + u32(0), 2, b"Great.", alice.ik, bob.ik)
    return m1, m2, m3


def wrap(h, width=96):
    return "\n".join(h[i:i + width] for i in range(0, len(h), width))


rk = bytes(range(0x00, 0x20))
dh = bytes(range(0x20, 0x40))
ck = bytes(range(0x40, 0x60))
mk = bytes(range(0x60, 0x80))

root, chain = kdf_rk(rk, dh)
print("kdf_rk root      ", root.hex())
print("kdf_rk chain     ", chain.hex())
next_ck, msg_k = kdf_ck(ck)
print("kdf_ck message   ", msg_k.hex())
print("kdf_ck chain     ", next_ck.hex())
key, nonce = message_keys(mk)
print("message key      ", key.hex())
print("message nonce    ", nonce.hex())
dhs = [bytes([i]) * 32 for i in (1, 2, 3, 4)]
print("x3dh sk (4 DH)   ", x3dh(dhs).hex())
print("x3dh sk (3 DH)   ", x3dh(dhs[:3]).hex())
ka, kb = bytes([0xAA]) * 32, bytes([0xBB]) * 32
da, db = safety_digits(ka), safety_digits(kb)
print("safety number    ", min(da, db) + max(da, db))
print("key fingerprint AA", " ".join(da[i:i + 5] for i in range(0, 30, 5)))
print("key fingerprint BB", " ".join(db[i:i + 5] for i in range(0, 30, 5)))
print("padded (chat, counter 0102030405060708, 'x')", plaintext(0x01, 0x0102030405060708, b"x").hex())
m1, m2, m3 = recorded_session()
for name, m in (("m1", m1), ("m2", m2), ("m3", m3)):
    print("recorded %s (%d bytes)\n%s" % (name, len(m), wrap(m.hex())))
print("recorded BLAKE2b-256(m1 ‖ m2 ‖ m3)", hashlib.blake2b(m1 + m2 + m3, digest_size=32).hexdigest())
