// Order and completeness of the partner's messages in a pair (PROTOCOL.md §12.7), from the
// counter inside each message's encryption; the server's seq is not authenticated. State is
// {contiguous, above}: every counter 1..contiguous received, and the sorted received ones above.
import { FIRST_COUNTER, MAX_COUNTER } from './message_format.js';

/** The empty record: nothing received. */
export function emptyReceived() {
  return { contiguous: 0, above: [] };
}

/** Whether counter was received. */
export function hasReceived(r, counter) {
  return (counter >= FIRST_COUNTER && counter <= r.contiguous) || r.above.includes(counter);
}

/** The highest counter received, 0 before the first. */
export function highestReceived(r) {
  return r.above.length ? r.above[r.above.length - 1] : r.contiguous;
}

/** A new record with counter added, or null if it was received before (a replay) or is out of range. */
export function addReceived(r, counter) {
  if (!Number.isSafeInteger(counter) || counter < FIRST_COUNTER || counter > MAX_COUNTER || hasReceived(r, counter)) return null;
  let contiguous = r.contiguous;
  const above = [...r.above, counter].sort((a, b) => a - b);
  while (above.length && above[0] === contiguous + 1) {
    above.shift();
    contiguous += 1;
  }
  return { contiguous, above };
}

/** How many counters strictly between after and before were never received (without walking the range). */
export function missingBetween(r, after, before) {
  if (before <= after + 1) return 0;
  const lo = after + 1;
  let received = 0;
  if (r.contiguous >= lo) received += Math.min(r.contiguous + 1, before) - lo;
  for (const c of r.above) if (c >= lo && c < before) received += 1;
  return before - lo - received;
}

/** {missingBefore, outOfOrder} for each of the partner's messages in the order shown (counters of any kind in r). */
export function orderNotes(shownCounters, r) {
  let highest = 0;
  return shownCounters.map((c) => {
    if (c > highest) {
      const note = { missingBefore: missingBetween(r, highest, c), outOfOrder: false };
      highest = c;
      return note;
    }
    return { missingBefore: 0, outOfOrder: true };
  });
}
