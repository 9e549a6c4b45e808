// The web app's entry point. For now it loads the protocol layer, runs a known-answer self-test
// (PROTOCOL.md §10's login signature) and says whether this browser can run mentorlink; the
// screens come later. Every string from the server or the partner is set as text, never as HTML.
import { ready } from '../protocol/sodium.js';
import { PROTOCOL_VERSION } from '../protocol/frame.js';
import { identityFromSeed } from '../protocol/keys.js';
import { loginMessage, signWith } from '../protocol/signatures.js';
import { range, toHex } from '../protocol/bytes.js';

const LOGIN_VECTOR = '8ca9448512954e8a468a02f00beb1b429de799901e99d7a14e7ba74c3d9a0d19'
  + '12823096f9c445bff09aaebfe1852a03d631e40294a04eed15f7f06a33c11205';

/** Whether this browser's crypto computes §10's login signature. */
function selfTest() {
  const identity = identityFromSeed(range(0x00, 0x20));
  return toHex(signWith(identity, loginMessage(range(0x20, 0x40), range(0x40, 0x60), identity.publicKey))) === LOGIN_VECTOR;
}

async function start() {
  const status = document.getElementById('status');
  let text;
  try {
    await ready();
    text = selfTest() ? `mentorlink web: protocol ${PROTOCOL_VERSION} ready` : 'This browser computes the encryption wrongly.';
  } catch {
    text = 'This browser cannot run the encryption mentorlink needs.';
  }
  if (status) status.textContent = text;
}

start();
