#!/usr/bin/env python3
"""Independent computation of the call vectors in protocol/PROTOCOL.md §12.10: a call signal
(message kind 03) as bytes and sent through the Double Ratchet of §13's recorded session, media
frames sealed as §12.9 says, and a TURN credential of §6 "Calls".

Uses only the Python standard library and the `cryptography` package (AES-GCM); the ratchet's
building blocks come from ratchet_vectors.py beside this script (itself independent of the C++ and
JavaScript code). Run: python3 tests/vectors/call_vectors.py
"""
import base64
import contextlib
import hashlib
import hmac
import io
import json
import os
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
with contextlib.redirect_stdout(io.StringIO()):
    import ratchet_vectors as rv  # noqa: E402  (its own vectors are printed by running it)
from xchacha import xchacha20poly1305_encrypt  # noqa: E402


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def call_signal(fields: dict) -> bytes:
    """The payload: UTF-8 JSON, keys in the documented order, no spaces."""
    keys = ["v", "call", "reply_to", "meeting", "type", "restart", "sdp", "candidate", "fingerprint", "media_key",
            "sent_at"]
    return json.dumps({k: fields[k] for k in keys}, separators=(",", ":"), ensure_ascii=False).encode()


OFFER = call_signal({
    "v": 1, "call": b64url(bytes(range(0x00, 0x10))), "reply_to": None, "meeting": 3, "type": "offer",
    "restart": False, "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "candidate": None,
    "fingerprint": b64url(bytes(range(0x40, 0x60))), "media_key": b64url(bytes(range(0x60, 0x80))),
    "sent_at": 1800000000000,
})


def seal_kind(ck, prefix, kind, counter, payload, ik_i, ik_r):
    ck, mk = rv.kdf_ck(ck)
    key, nonce = rv.message_keys(mk)
    return ck, prefix + xchacha20poly1305_encrypt(key, nonce, rv.plaintext(kind, counter, payload),
                                                  rv.ad(prefix, ik_i, ik_r))


def m4_call_offer():
    """§13's recorded session, then Alice's fourth message: counter 3, kind 03, OFFER (pn = 1, n = 1)."""
    alice, bob = rv.Device(0xA1, 0x0A), rv.Device(0xB0, 0x0B)
    ek = rv.Dh(alice.draws.next())
    sk = rv.x3dh([alice.ikdh.dh(bob.spk.pub), ek.dh(bob.ikdh.pub), ek.dh(bob.spk.pub), ek.dh(bob.opk[2].pub)])
    a_dhs = rv.Dh(alice.draws.next())
    a_rk, a_cks = rv.kdf_rk(sk, a_dhs.dh(bob.spk.pub))
    a_cks, _ = rv.kdf_ck(a_cks)  # m1
    b_rk, _ = rv.kdf_rk(sk, bob.spk.dh(a_dhs.pub))
    b_dhs = rv.Dh(bob.draws.next())
    a_rk, _ = rv.kdf_rk(a_rk, a_dhs.dh(b_dhs.pub))
    a_dhs = rv.Dh(alice.draws.next())
    a_rk, a_cks = rv.kdf_rk(a_rk, a_dhs.dh(b_dhs.pub))
    a_cks, _ = rv.kdf_ck(a_cks)  # m3
    _, m4 = seal_kind(a_cks, b"\x21" + a_dhs.pub + rv.u32(1) + rv.u32(1), 0x03, 3, OFFER, alice.ik, bob.ik)
    return m4


def frame_material(media_key: bytes, call_id: bytes, kind: str) -> bytes:
    return rv.hkdf(call_id, media_key, b"mentorlink/v2/call-frame/" + kind.encode(), 45)


def seal_frame(media_key, call_id, kind, counter, data):
    material = frame_material(media_key, call_id, kind)
    key, salt, key_id = material[:32], material[32:44], material[44]
    if kind == "audio":
        p = 1
    else:
        p = 0 if not data else (10 if data[0] & 1 == 0 else 3)
    p = min(p, len(data))
    trailer = counter.to_bytes(4, "big") + bytes([key_id, 0x20])
    iv = salt[:8] + bytes(a ^ b for a, b in zip(salt[8:], counter.to_bytes(4, "big")))
    return data[:p] + AESGCM(key).encrypt(iv, data[p:], data[:p] + trailer) + trailer


MEDIA_KEY = bytes(range(0x00, 0x20))
CALL_ID = bytes(range(0x20, 0x30))
OPUS = bytes([0x78]) + b"opus frame"
VP8_KEY = bytes([0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]) + b"vp8 key frame"
VP8_DELTA = bytes([0x31, 0x01, 0x00]) + b"vp8 delta frame"

TURN_SECRET = b"mentorlink-turn-secret"
TURN_USERNAME = b"1800000000:42"

print("call signal (offer) payload, %d bytes\n%s" % (len(OFFER), OFFER.decode()))
m4 = m4_call_offer()
print("recorded m4 (Alice, counter 3, kind 03, the offer above; %d bytes)\n%s" % (len(m4), rv.wrap(m4.hex())))
for kind in ("audio", "video", "screen"):
    print("frame key ‖ salt ‖ key id, %-6s" % kind, frame_material(MEDIA_KEY, CALL_ID, kind).hex())
print("frame audio   counter 0", seal_frame(MEDIA_KEY, CALL_ID, "audio", 0, OPUS).hex())
print("frame audio   counter 1", seal_frame(MEDIA_KEY, CALL_ID, "audio", 1, OPUS).hex())
print("frame video   counter 0 (VP8 key)  ", seal_frame(MEDIA_KEY, CALL_ID, "video", 0, VP8_KEY).hex())
print("frame video   counter 1 (VP8 delta)", seal_frame(MEDIA_KEY, CALL_ID, "video", 1, VP8_DELTA).hex())
print("TURN username", TURN_USERNAME.decode(), "credential",
      base64.b64encode(hmac.new(TURN_SECRET, TURN_USERNAME, hashlib.sha1).digest()).decode())
