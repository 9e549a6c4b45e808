// PROTOCOL.md §12.10: the call vectors computed independently by tests/vectors/call_vectors.py —
// a call signal's bytes, that signal as kind 03 through §13's recorded session (m4), and media
// frames sealed under a known media key and call id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertHex, hex, must } from './helpers.js';
import { initiate, accept, encrypt, decrypt } from '../src/protocol/session.js';
import { KIND_CHAT } from '../src/protocol/message_format.js';
import { filled, range, utf8, fromUtf8, concat } from '../src/protocol/bytes.js';
import { identityFromSeed, dhFromSecret } from '../src/protocol/keys.js';
import { deterministicRandom } from '../src/protocol/random.js';
import { generateDeviceKeys, identityDh, currentSignedPrekey } from '../src/protocol/device_keys.js';
import { CALL_SIGNAL_KIND, encodeCallSignal, decodeCallSignal } from '../src/protocol/call_signal.js';
import { deriveFrameKeys, frameKeyMaterial, openFrame, sealFrame } from '../src/protocol/call_frames.js';

const OFFER_TEXT = '{"v":1,"call":"AAECAwQFBgcICQoLDA0ODw","reply_to":null,"meeting":3,"type":"offer","restart":false,' +
  '"sdp":"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n","candidate":null,' +
  '"fingerprint":"QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8","media_key":"YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn8","sent_at":1800000000000}';
const OFFER = {
  callId: range(0x00, 0x10), replyTo: null, meeting: 3, type: 'offer', restart: false,
  sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n', fingerprint: range(0x40, 0x60), mediaKey: range(0x60, 0x80), sentAt: 1800000000000,
};
const M4 = `216dc6ce89dbed353fd3d99a582975b23ebfc9ddffa5d56667e20de648ba3f3074000000010000000126321b7bd8defd
bdf59339bcf1dee59c9171a1745eff40f8c69c0aa6d57a7bbc2ab88766bd9159f659834ab901c8cae68bd4a53f0254f0
9235542e0a367f00005a12db8ec74eabf95ca4b4255b3396970d848a4baf02932c0e5f4d13a708697e238ba29743e5ab
10b820c1234061d5abc1f66f7a689c3682d3dcff2c048beb75bae7b744562584c912f70b31bfbf1840f6d502cf9e960a
c981514b77b436aaaa2108e79f228a4abe4c5aad2bff72cd36b7e6379b8b26451c8aec85ec294d05761687080c40cf88
e39cc7e4039ee47773b68354c9aba64fce03ba6db745a5a469f222d54b6e0dd57d5ce3ea0f18544f121565b95880307c
c7fd173002ac0511ef969a5714533119f322d6cf89f58c3debe6328c85d36ce3b856f88e567cd6b89ce2095c937fd4f5
4be82b714c01e83517c113ac56f1473eb8f40d543102cf79d8c71439c72e6fe80787842622eabd194c2d4f69c7009ac9
beffb6806a8e33fe6a850c3d22f922b936cf3661debb5b071171f9e3c469cc8485d01d226dd66bee71ca2180c45a363c
ba1c65aa2e9ff3e08850a96b685499b54272f0712db04201df33ca346bbc44e381281fd59e61ed8edef672b76d4f661c
637cd76e7cd2b572199d8963184d84810fe051c58d526d6e37136d7cb4acf1913ccb26b269c5598e8c7559ee0f692e8d
114e903037a6354600fd916e30ce05035cab6eef7f70c386722bf2ddb477a35be72d7c507d17d3a309`;

function device(seedByte, drawSeed) {
  const identity = identityFromSeed(filled(32, seedByte));
  const random = deterministicRandom(drawSeed);
  return { identity, random, keys: generateDeviceKeys(identity, 0, random, 3) };
}

test('§12.10 the call signal payload is the documented JSON, byte for byte', () => {
  assert.equal(fromUtf8(encodeCallSignal(OFFER)), OFFER_TEXT);
  const back = must(decodeCallSignal(utf8(OFFER_TEXT), 1800000000000));
  assert.deepEqual(back.mediaKey, OFFER.mediaKey);
});

test('§12.10 m4: the offer as kind 03 in the recorded session of pair 7, byte for byte', () => {
  const alice = device(0xa1, 0x0a);
  const bob = device(0xb0, 0x0b);
  const otk = bob.keys.oneTime.find((k) => k.id === 2);
  const bundle = { identityKey: bob.identity.publicKey, identityDhKey: identityDh(bob.keys).publicKey,
    identityDhSignature: bob.keys.identityDhSignature, signedPrekey: currentSignedPrekey(bob.keys),
    oneTimePrekey: { id: 2, key: dhFromSecret(otk.secret).publicKey } };
  const a = must(initiate(alice.identity, alice.keys, bundle, 7, alice.random));
  const s1 = must(encrypt(a, KIND_CHAT, 1, utf8('Hello Bob, agenda attached.')));
  const accepted = must(accept(bob.identity, bob.keys, 7, s1.message, bob.random));
  const s2 = must(encrypt(accepted.session, KIND_CHAT, 1, utf8('Thanks Alice, see you Tuesday.')));
  const got2 = must(decrypt(s1.session, s2.message, alice.random));
  const s3 = must(encrypt(got2.session, KIND_CHAT, 2, utf8('Great.')));
  const s4 = must(encrypt(s3.session, CALL_SIGNAL_KIND, 3, encodeCallSignal(OFFER)));
  assertHex(s4.message, M4, 'm4');
  const got3 = must(decrypt(s2.session, s3.message, bob.random));
  const got4 = must(decrypt(got3.session, s4.message, bob.random));
  assert.equal(got4.plaintext.kind, CALL_SIGNAL_KIND);
  assert.equal(got4.plaintext.counter, 3);
  assert.equal(fromUtf8(got4.plaintext.payload), OFFER_TEXT);
});

const MEDIA_KEY = range(0x00, 0x20);
const CALL_ID = range(0x20, 0x30);
const OPUS = concat(Uint8Array.of(0x78), utf8('opus frame'));
const VP8_KEY = concat(Uint8Array.of(0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01), utf8('vp8 key frame'));
const VP8_DELTA = concat(Uint8Array.of(0x31, 0x01, 0x00), utf8('vp8 delta frame'));

test('§12.10 frame keys and sealed frames, byte for byte', async () => {
  assertHex(await frameKeyMaterial(MEDIA_KEY, CALL_ID, 'audio'), '6323f57e60225120cbe50351d0159d4e478613e85798fd45f4d52e589155405b317a487aded4d5cebf459d29b6');
  assertHex(await frameKeyMaterial(MEDIA_KEY, CALL_ID, 'video'), '712ba19ab592be6394c8122afc86a08a002d7bfe2bfa1cccf184056b333584e5bef4e10d07f65008573619b066');
  assertHex(await frameKeyMaterial(MEDIA_KEY, CALL_ID, 'screen'), '5a78266f3cd058cc62cb4450bd77e39da311493bd6af375cba22fefdc6f4184b5b09ea84ec6eedb72b0e13aae8');
  const tx = await deriveFrameKeys(MEDIA_KEY, CALL_ID);
  const a0 = await sealFrame(tx, 'audio', OPUS);
  const a1 = await sealFrame(tx, 'audio', OPUS);
  const v0 = await sealFrame(tx, 'video', VP8_KEY);
  const v1 = await sealFrame(tx, 'video', VP8_DELTA);
  assertHex(a0, '7896b65f09d6400d29d7238c35fd62e866f0a30e00a369b4f92e8f00000000b620');
  assertHex(a1, '78636b9964578078a289ee3bf2c37fe9f2d5e47e20060bc562dd0500000001b620');
  assertHex(v0, '1002009d012a8002e0014744c7c82b608f73f34a70eea183dd58c4782f4a10b3ffde65c8084009000000006620');
  assertHex(v1, '3101006d1b9b8e377e54061ff0cab9ed8d7e8f4ac068fdd28884e8aca0548224d437000000016620');
  const rx = await deriveFrameKeys(MEDIA_KEY, CALL_ID);
  assert.deepEqual(await openFrame(rx, 'video', hex('1002009d012a8002e0014744c7c82b608f73f34a70eea183dd58c4782f4a10b3ffde65c8084009000000006620')), VP8_KEY);
  assert.deepEqual(await openFrame(rx, 'audio', a1), OPUS);
});
