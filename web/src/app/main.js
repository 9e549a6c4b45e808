// The web app's entry point: checks that this browser computes the protocol's crypto correctly
// (PROTOCOL.md §10's login signature), then opens storage and starts the shell. Every string from
// the server or the partner is set as text, never as HTML.
import { ready } from '../protocol/sodium.js';
import { PROTOCOL_VERSION } from '../protocol/frame.js';
import { identityFromSeed } from '../protocol/keys.js';
import { loginMessage, signWith } from '../protocol/signatures.js';
import { range, toHex } from '../protocol/bytes.js';
import { openIdbBackend } from '../client/idb.js';
import { Storage, CHANNEL_NAME } from '../client/storage.js';
import { Client } from '../client/client.js';
import { initLanguage, t } from './i18n.js';
import { startShell } from './shell.js';
import { h } from './dom.js';
import './screens/chat.js';
import './screens/trust.js';
import './screens/cycle.js';
import { watchCalls } from './call_session.js';

const LOGIN_VECTOR = '8ca9448512954e8a468a02f00beb1b429de799901e99d7a14e7ba74c3d9a0d19'
  + '12823096f9c445bff09aaebfe1852a03d631e40294a04eed15f7f06a33c11205';

/** Whether this browser's crypto computes §10's login signature. */
function selfTest() {
  const identity = identityFromSeed(range(0x00, 0x20));
  return toHex(signWith(identity, loginMessage(range(0x20, 0x40), range(0x40, 0x60), identity.publicKey))) === LOGIN_VECTOR;
}

// A notification for a new message while the tab is hidden, if the person allowed them. It names
// the partner only: the text stays in the page.
function notifyHidden(client) {
  client.on('message', (msg) => {
    const N = globalThis.Notification;
    if (!N || N.permission !== 'granted' || document.visibilityState !== 'hidden') return;
    const pair = client.pair(msg.pair);
    const name = pair ? client.partnerOf(pair).name : '';
    new N('mentorlink', { body: t('notify.new_message', { partner: name || t('pair.partner') }), tag: `pair-${msg.pair}` });
  });
}

async function start() {
  initLanguage();
  const status = document.getElementById('status');
  let works = false;
  try {
    await ready();
    works = selfTest();
  } catch {
    works = false;
  }
  if (status) {
    status.textContent = works ? `mentorlink web: protocol ${PROTOCOL_VERSION} ready` : t('shell.crypto_broken');
    // Working is the normal case: said only when it is not, the line stays in the page for checks.
    if (works) {
      status.classList.add('selftest-passed');
      status.setAttribute('aria-hidden', 'true');
    }
  }
  const root = document.getElementById('app');
  if (!works || !root) return;
  const backend = await openIdbBackend();
  if (!backend.ok) {
    root.append(h('p', { class: 'warning', role: 'alert' }, t('shell.no_storage')));
    return;
  }
  const channel = globalThis.BroadcastChannel ? new BroadcastChannel(CHANNEL_NAME) : null;
  const storage = new Storage(backend.value, globalThis.navigator?.locks ?? null, channel);
  await storage.claimWriter();
  const client = new Client(storage, location.origin);
  notifyHidden(client);
  watchCalls(client);
  const shell = startShell(root, client);
  await shell.render();
}

start();
