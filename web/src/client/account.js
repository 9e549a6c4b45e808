// The member's account in this browser, as the CLI's account.cpp does it: enrolment from an
// invite (identity key made here, sealed under the passphrase with Argon2id before the server is
// asked, kept only if the server says yes), unlocking, and the web login of PROTOCOL.md §4-§5,
// which signs the page's origin in place of the TLS exporter.
import { helloBody, webEnrollBody, webLoginBody } from '../protocol/requests.js';
import { normaliseInviteCode } from '../protocol/signatures.js';
import { identityFromSeed } from '../protocol/keys.js';
import { openKeyStore, sealKeyStore, INTERACTIVE } from '../protocol/key_store.js';
import { randomBytes } from '../protocol/primitives.js';
import { ok, fail } from '../protocol/result.js';

/** The shortest passphrase enrolment accepts (in characters). */
export const MIN_PASSPHRASE_CHARS = 8;

/** Result of the fresh challenge of a hello on connection (sent even before login finished). */
export async function sayHello(connection) {
  const hello = await connection.send('hello', helloBody());
  return hello.ok ? ok(hello.value.challenge) : hello;
}

/** Result of {member} logging identity in on connection from a page at origin. */
export async function webLogin(connection, identity, origin) {
  const challenge = await sayHello(connection);
  if (!challenge.ok) return challenge;
  const body = webLoginBody(identity, challenge.value, origin);
  if (body === null) return fail('invalid_origin', `this page's origin (${origin}) cannot be signed`);
  return connection.send('login', body, { identityKey: identity.publicKey });
}

/**
 * Result of {identity, storageKey, account} after enrolling with the invite code typed (any case,
 * spaces and dashes allowed). storage must be the writer. connection is started with no login.
 * The key store is written before the server is asked, and removed again if it says no.
 */
export async function enrol({ storage, connection, origin, typedCode, passphrase, cost = INTERACTIVE }) {
  const code = normaliseInviteCode(typedCode);
  if (code === null) return fail('invalid_invite', 'an invite code is 32 letters and digits (2-7); check the link you were sent');
  if (typeof passphrase !== 'string' || [...passphrase].length < MIN_PASSPHRASE_CHARS) {
    return fail('short_passphrase', `choose a passphrase of at least ${MIN_PASSPHRASE_CHARS} characters`);
  }
  const existing = await storage.readAccount();
  if (!existing.ok) return existing;
  if (existing.value !== null) return fail('already_enrolled', 'this browser already holds a mentorlink account for this server');
  const seed = randomBytes(32);
  const identity = identityFromSeed(seed);
  seed.fill(0);
  const store = sealKeyStore(identity.seed, passphrase, cost);
  const written = await storage.writeKeyStore(store);
  if (!written.ok) return written;
  const undo = async (r) => { await storage.discardKeyStore(); return r; };

  const challenge = await sayHello(connection);
  if (!challenge.ok) return undo(challenge);
  const body = webEnrollBody(identity, challenge.value, origin, code);
  if (body === null) return undo(fail('invalid_origin', `this page's origin (${origin}) cannot be signed`));
  const enrolled = await connection.send('enroll', body, { identityKey: identity.publicKey });
  if (!enrolled.ok) return undo(enrolled);
  const member = enrolled.value.member;
  const account = { memberId: member.id, name: member.name, identityKey: Uint8Array.from(identity.publicKey), origin };
  const saved = await storage.writeAccount(account);
  if (!saved.ok) return saved;
  const opened = openKeyStore(store, passphrase);
  if (!opened.ok) return opened;
  return ok({ identity: opened.value.identity, storageKey: opened.value.storageKey, account });
}

/** Result of {identity, storageKey, account} opening this browser's key store with passphrase. */
export async function unlock(storage, passphrase) {
  const store = await storage.readKeyStore();
  if (!store.ok) return store;
  const account = await storage.readAccount();
  if (!account.ok) return account;
  if (store.value === null || account.value === null) return fail('not_enrolled', 'this browser holds no mentorlink account yet; open the invite link you were sent');
  const opened = openKeyStore(store.value, passphrase);
  if (!opened.ok) return opened;
  return ok({ identity: opened.value.identity, storageKey: opened.value.storageKey, account: account.value });
}
