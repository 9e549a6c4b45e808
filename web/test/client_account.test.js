// Enrolment and unlocking in the browser's storage: a bad invite code or a short passphrase is
// refused before anything is made or asked; the server's refusal removes the key store made for
// it; a wrong passphrase opens nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { must } from './helpers.js';
import { enrol, unlock } from '../src/client/account.js';
import { Storage } from '../src/client/storage.js';
import { memoryBackend } from '../src/client/idb.js';
import { sealKeyStore } from '../src/protocol/key_store.js';
import { filled } from '../src/protocol/bytes.js';
import { decodeResult } from '../src/protocol/replies.js';

const FAST = { opslimit: 1, memlimit: 8192 };
const CODE = 'abcdefghijklmnopqrstuvwxyz234567';

async function writer() {
  const storage = new Storage(memoryBackend(), null, null);
  await storage.claimWriter();
  return storage;
}

// A server that answers hello, then refuses enroll with code.
function refusingServer(code) {
  const asked = [];
  return {
    asked,
    async send(type, body) {
      asked.push(type);
      if (type === 'hello') {
        return decodeResult('hello', { version: 2, server: 'test', challenge: 'A'.repeat(43), server_time: 1, limits: { max_message_bytes: 1, idle_timeout_ms: 1 } });
      }
      return { ok: false, error: { code, message: 'no' } };
    },
  };
}

test('a bad code or a short passphrase is refused before anything is made or asked', async () => {
  const storage = await writer();
  const connection = refusingServer('invite_used');
  const badCode = await enrol({ storage, connection, origin: 'https://localhost:1', typedCode: 'not a code', passphrase: 'long enough phrase', cost: FAST });
  assert.equal(badCode.error.code, 'invalid_invite');
  const short = await enrol({ storage, connection, origin: 'https://localhost:1', typedCode: CODE, passphrase: 'short', cost: FAST });
  assert.equal(short.error.code, 'short_passphrase');
  assert.deepEqual(connection.asked, []);
  assert.equal(storage.backend.data.size, 0);
});

test('the server refusing the enrolment removes the key store made for it', async () => {
  const storage = await writer();
  const connection = refusingServer('invite_used');
  const r = await enrol({ storage, connection, origin: 'https://localhost:1', typedCode: CODE.toUpperCase(), passphrase: 'long enough phrase', cost: FAST });
  assert.equal(r.error.code, 'invite_used');
  assert.deepEqual(connection.asked, ['hello', 'enroll']);
  assert.equal(must(await storage.readKeyStore()), null);
  assert.equal(must(await storage.readAccount()), null);
});

test('unlock opens the key store with its passphrase only', async () => {
  const storage = await writer();
  must(await storage.writeKeyStore(sealKeyStore(filled(32, 4), 'the right phrase', FAST)));
  must(await storage.writeAccount({ memberId: 3, name: 'Mia', identityKey: filled(32, 1), origin: 'https://localhost:1' }));
  assert.equal((await unlock(storage, 'the wrong phrase')).error.code, 'wrong_passphrase');
  const opened = must(await unlock(storage, 'the right phrase'));
  assert.deepEqual(opened.identity.seed, filled(32, 4));
  assert.equal(opened.account.name, 'Mia');
});
