// Decoding event bodies (PROTOCOL.md §7). Unknown events are reported as such, never thrown.
import { Reader, decodeWith } from './fields.js';
import * as v from './views.js';
import { fail } from './result.js';

const decoders = {
  'pair.formed': (r) => ({ pair: v.pair(r.object('pair')) }),
  'pair.ended': (r) => ({ pair: v.pair(r.object('pair')) }),
  message: (r) => ({ envelope: v.envelope(r.object('envelope')) }),
  presence: (r) => ({ pair: r.id('pair'), member: r.id('member'), online: r.bool('online') }),
  'keys.low': (r) => ({ device: r.int('device', 1, v.MAX_DEVICE), oneTimePrekeys: r.count('one_time_prekeys') }),
  'document.updated': (r) => ({ document: v.documentView(r.object('document')), author: r.id('author') }),
  'contract.updated': (r) => ({ contract: v.contract(r.object('contract')) }),
  'meeting.updated': (r) => ({ meeting: v.meeting(r.object('meeting')) }),
  'programme.activity': (r) => {
    const out = { programme: r.id('programme'), pair: r.id('pair'), activity: r.word('activity', v.ACTIVITIES), at: r.time('at') };
    if (r.has('meeting')) out.meeting = r.id('meeting');
    if (r.has('held')) {
      out.held = r.bool('held');
      out.bothPresentMs = r.count('both_present_ms');
    }
    if (r.has('signed_at')) out.signedAt = r.time('signed_at');
    return out;
  },
};

/** The event names this client reads. */
export const KNOWN_EVENTS = Object.freeze(Object.keys(decoders));

/** Result of the decoded body of event `name`; unknown_event for one this client does not know. */
export function decodeEvent(name, body) {
  const decoder = decoders[name];
  if (decoder === undefined) return fail('unknown_event', `an event this client does not know: ${name}`);
  return decodeWith(() => decoder(new Reader(body, '')));
}
