// The web app's entry point. For now it loads the protocol layer and shows that it is ready; the
// screens come later. Every string from the server or the partner is set as text, never as HTML.
import { ready } from '../protocol/sodium.js';
import { PROTOCOL_VERSION } from '../protocol/frame.js';

async function start() {
  const status = document.getElementById('status');
  try {
    await ready();
    if (status) status.textContent = `mentorlink web: protocol ${PROTOCOL_VERSION} ready`;
  } catch {
    if (status) status.textContent = 'This browser cannot run the encryption mentorlink needs.';
  }
}

start();
