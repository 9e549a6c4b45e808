// Reading and writing a document on top of §14's bytes and checks: who may sign, which key a
// version is under, the next version after the verified head, and which keys may be shared.
// Document keys are kept by key id (hex of the 16-byte key_id).
import { ok, fail } from './result.js';
import { toHex } from './bytes.js';
import { KINDS, kindHasOwner, keyId, openVersion, parseKeyShare, sealVersion, encodeKeyShare } from './document_version.js';
import { verifyChain } from './document_chain.js';
import { randomBytes } from './primitives.js';

/** Who may sign versions of identity: 'either' member, or only 'me' / the 'partner' when it has an owner. */
export function writerFor(identity, myMemberId) {
  if (!kindHasOwner(identity.kind)) return 'either';
  return identity.owner === myMemberId ? 'me' : 'partner';
}

/**
 * Result of {head, versions, newest: {version, author, text}|null}: the chain verified (§14.3
 * rules 2-6) and the newest version decrypted. keys: Map of key-id hex → 32-byte key. A newest
 * version under a key this device does not hold yet gives no_key (wait for the partner's share).
 */
export function readDocument({ identity, myKey, myMemberId, partnerKeys, unacceptedPartnerKey = null, claimedLatest, known, from, versions, keys }) {
  const expect = { identity, me: myKey, partnerKeys, unacceptedPartnerKey, writer: writerFor(identity, myMemberId), claimedLatest };
  const chain = verifyChain(expect, known, from, versions);
  if (!chain.ok) return chain;
  const last = chain.value.versions[chain.value.versions.length - 1];
  if (last === undefined) return ok({ head: chain.value.head, versions: [], newest: null });
  const key = keys.get(toHex(last.header.keyId));
  if (key === undefined) return fail('no_key', 'the newest version is under a key your partner has not shared with this device yet');
  const text = openVersion(last.body, key);
  if (!text.ok) return text;
  return ok({ head: chain.value.head, versions: chain.value.versions,
    newest: { version: last.header.version, author: last.header.author, text: text.value } });
}

/**
 * Result of {version, body, hash, signature, documentKey, newKey}: the version after head (null
 * for a new document) under the newest version's key (newestKeyId hex) or, for version 1, a new key.
 */
export function prepareWrite({ identity, author, head, newestKeyId, keys, plaintext, nonce = randomBytes(24) }) {
  const version = head ? head.version + 1 : 1;
  let documentKey;
  let newKey = false;
  if (head === null) {
    documentKey = randomBytes(32);
    newKey = true;
  } else {
    documentKey = keys.get(newestKeyId);
    if (documentKey === undefined) return fail('no_key', 'this device does not hold the document\'s key yet');
  }
  const sealed = sealVersion({ identity, version, previousHash: head ? head.hash : new Uint8Array(32), author, documentKey, nonce, plaintext });
  if (!sealed.ok) return sealed;
  return ok({ version, ...sealed.value, documentKey, newKey });
}

/** Result of the key-share payload for the partner; refused for a reflection or an identity not verified (§14.4). */
export function keyShareFor(identity, verified, documentKey) {
  if (!verified) return fail('unverified', 'the key of a document whose identity was not verified is never shared');
  if (identity.kind === KINDS.reflection) return fail('private', 'a reflection\'s key is never shared');
  return ok(encodeKeyShare(identity.pair, identity.document, documentKey));
}

/** Result of {document, key, keyIdHex} from a received key share in pair; set_aside when it names another pair. */
export function takeKeyShare(pair, payload) {
  const share = parseKeyShare(payload);
  if (!share.ok) return share;
  if (share.value.pair !== pair) return fail('set_aside', 'a document key share for another pair was set aside');
  return ok({ document: share.value.document, key: share.value.key, keyIdHex: toHex(keyId(share.value.key)) });
}
