// PROTOCOL.md §10 web login and enrolment: the signed bytes bind the page's origin in place of the
// TLS exporter (vectors from tests/vectors/web_login_vectors.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertHex } from './helpers.js';
import { identityFromSeed } from '../src/protocol/keys.js';
import { decode } from '../src/protocol/base64url.js';
import {
  MAX_WEB_ORIGIN_BYTES, inviteHash, loginMessage, signWith, verifyWith, webEnrollMessage, webLoginMessage,
} from '../src/protocol/signatures.js';
import { webEnrollBody, webLoginBody } from '../src/protocol/requests.js';
import { range } from '../src/protocol/bytes.js';

const identity = identityFromSeed(range(0x00, 0x20));
const challenge = range(0x20, 0x40);
const ORIGIN = 'https://localhost:8443';
const CODE = 'abcdefghijklmnopqrstuvwxyz234567';
const IK = '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8';
const LOGIN_SIGNATURE = `be620c1de7e2a93f46aefb5c97b5a4d52afdf3aebdf2445bcfa3ba75e36ed269
  1c687bc06710a60b04f1cb05892188a3d6f2afc3edce50d48fe9f9c9af9c010a`;
const ENROLL_SIGNATURE = `1ecd5a42363939c9c8cd40d344b820fcd14ac344984e7cecf35494f26de55e0a
  239de7cdaabdaaf050097b648089db77da4449b489de0b44c76598d8af67050b`;

test('§10 web-login: signed bytes and signature', () => {
  const message = webLoginMessage(challenge, ORIGIN, identity.publicKey);
  assert.equal(message.length, 112);
  assertHex(message, `6d656e746f726c696e6b2f76322f7765622d6c6f67696e00
    202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
    0016 68747470733a2f2f6c6f63616c686f73743a38343433 ${IK}`);
  assertHex(signWith(identity, message), LOGIN_SIGNATURE);
});

test('§10 web-enroll: signed bytes and signature', () => {
  const message = webEnrollMessage(challenge, ORIGIN, identity.publicKey, inviteHash(CODE));
  assert.equal(message.length, 145);
  assertHex(message, `6d656e746f726c696e6b2f76322f7765622d656e726f6c6c00
    202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
    0016 68747470733a2f2f6c6f63616c686f73743a38343433 ${IK}
    fe418e1bdf7e3422284d715577ed241f3d588396ad3e43500235220914951abc`);
  assertHex(signWith(identity, message), ENROLL_SIGNATURE);
});

test('web login and enroll bodies carry the vector signatures', () => {
  const login = webLoginBody(identity, challenge, ORIGIN);
  assertHex(decode(login.signature).value, LOGIN_SIGNATURE);
  const enroll = webEnrollBody(identity, challenge, ORIGIN, CODE, 'Mia');
  assert.equal(enroll.invite, CODE);
  assert.equal(enroll.name, 'Mia');
  assertHex(decode(enroll.signature).value, ENROLL_SIGNATURE);
});

test('a web-login signature names its origin and is never a bound login', () => {
  const signature = signWith(identity, webLoginMessage(challenge, ORIGIN, identity.publicKey));
  assert.ok(!verifyWith(identity.publicKey, webLoginMessage(challenge, 'https://localhost:8444', identity.publicKey), signature));
  assert.ok(!verifyWith(identity.publicKey, loginMessage(challenge, range(0x40, 0x60), identity.publicKey), signature));
});

test('an origin that is not short printable ASCII gives no message and no body', () => {
  for (const origin of ['', 'https://bad host', 'https://ø.example', `https://${'a'.repeat(MAX_WEB_ORIGIN_BYTES)}`, null, 42]) {
    assert.equal(webLoginMessage(challenge, origin, identity.publicKey), null);
    assert.equal(webLoginBody(identity, challenge, origin), null);
    assert.equal(webEnrollBody(identity, challenge, origin, CODE), null);
  }
});
