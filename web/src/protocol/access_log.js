// The pair's access log (PROTOCOL.md §15): a hash chain the client recomputes in full.
//   entry_hash = BLAKE2b-256("mentorlink/v1/access-log" ‖ 00 ‖ previous_hash ‖ u64be(pair) ‖ u64be(seq)
//                ‖ u64be(coordinator) ‖ u64be(at) ‖ u32be(len(what)) ‖ what ‖ u32be(len(fields_text)) ‖ fields_text)
import { concat, context, equal, u32be, u64be, utf8 } from './bytes.js';
import { blake2b } from './primitives.js';
import { ok, fail } from './result.js';

const CONTEXT = 'mentorlink/v1/access-log';

/** The hash of an entry {pair, seq, coordinator (id), at, what, fieldsText} after previousHash. */
export function entryHash(previousHash, e) {
  const what = utf8(e.what);
  const fields = utf8(e.fieldsText);
  return blake2b(concat(context(CONTEXT), previousHash, u64be(e.pair), u64be(e.seq), u64be(e.coordinator), u64be(e.at),
    u32be(what.length), what, u32be(fields.length), fields), 32);
}

/**
 * Result of the new head {seq, hash} after checking entries (decoded, in order, the whole log
 * from seq 1) of pair against known = the head verified last ({seq, hash} or null): seqs run
 * 1, 2, …; every previous_hash links; every hash recomputes; fields joins to fields_text; the
 * known head is present with the same hash.
 */
export function verifyAccessLog(pair, entries, known) {
  let previous = new Uint8Array(32);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const where = `entries[${i}]`;
    if (e.pair !== pair) return fail('misplaced', 'the access log holds an entry of another pair', where);
    if (e.seq !== i + 1) return fail('dropped', 'the access log skips or reorders entries', where);
    if (e.fields.join(',') !== e.fieldsText) return fail('inconsistent', 'an entry\'s fields and fields_text disagree', where);
    if (!equal(e.previousHash, previous)) return fail('forked', 'an entry does not follow the one before', where);
    const hash = entryHash(previous, { ...e, coordinator: e.coordinator.id });
    if (!equal(hash, e.hash)) return fail('altered', 'an entry was changed after it was written', where);
    if (known && e.seq === known.seq && !equal(hash, known.hash)) return fail('altered', 'an entry seen before was changed', where);
    previous = hash;
  }
  if (known && entries.length < known.seq) return fail('rolled_back', 'the access log was cut short: entries seen before are gone');
  return ok(entries.length === 0 ? known : { seq: entries.length, hash: previous });
}
