// The pair's access log (PROTOCOL.md §15), read in full from entry 1 and verified in the browser as
// the CLI's `mentorlink access-log` does: every hash recomputed, every link checked, and the entry
// this device verified last present with the same hash; the new head is kept in the device state.
import { ok, fail } from '../protocol/result.js';
import { verifyAccessLog } from '../protocol/access_log.js';

/** Entries of one pair's log read at once (PROTOCOL.md §15): the server writes the chain's hashes, so it could make up entries without end. */
export const MAX_ACCESS_LOG_ENTRIES = 100000;

/**
 * Result of {entries, head}: the whole log of pair. call(type, body, asked) → Promise of the decoded
 * result; heads: the device state's accessLogHeads object ({pair: {seq, hash}}); persist() saves it.
 * A log that does not verify gives a `tampered` error and leaves the known head as it was.
 */
export async function readAccessLog({ call, pair, heads, persist }) {
  const entries = [];
  for (let more = true; more;) {
    const r = await call('access_log.list', { pair, from: entries.length + 1 }, { pair });
    if (!r.ok) return r;
    if (r.value.entries.length > MAX_ACCESS_LOG_ENTRIES - entries.length) {
      const endless = fail('tampered', `the access log of pair ${pair} has more than ${MAX_ACCESS_LOG_ENTRIES} entries, the most this browser reads; the server may be sending entries without end. Nothing was kept`);
      endless.error.tampered = true;
      endless.error.reason = 'endless';
      return endless;
    }
    entries.push(...r.value.entries);
    more = r.value.more && r.value.entries.length > 0;
  }
  const known = heads[pair] ?? null;
  const verified = verifyAccessLog(pair, entries, known);
  if (!verified.ok) {
    const r = fail('tampered', `the access log of pair ${pair} does not verify: ${verified.error.message}; the server may have edited or cut it. This device keeps entry ${known ? known.seq : 0} as the last one it trusts`);
    r.error.tampered = true;
    r.error.reason = verified.error.code;
    return r;
  }
  const head = verified.value;
  if (head && (!known || head.seq !== known.seq)) {
    heads[pair] = head;
    const saved = await persist();
    if (!saved.ok) return saved;
  }
  return ok({ entries, head });
}
