// Which server seqs of a pair this device has taken in (PROTOCOL.md §12.6): every seq up to
// `contiguous`, and at most MAX_SEEN_ABOVE above it, so no server-chosen seq makes it loop or grow
// without bound. Only delivery bookkeeping: order and completeness come from counters (§12.7).

/** Seqs remembered above the contiguous range; beyond it the oldest holes are given up. */
export const MAX_SEEN_ABOVE = 4096;

/** Nothing seen. */
export function emptySeen() {
  return { contiguous: 0, above: [] };
}

/** Whether seq was seen. */
export function wasSeen(s, seq) {
  return seq <= s.contiguous || s.above.includes(seq);
}

/** s with seq marked seen (changed in place). */
export function markSeen(s, seq) {
  if (wasSeen(s, seq)) return s;
  if (seq === s.contiguous + 1) s.contiguous = seq;
  else {
    const at = s.above.findIndex((v) => v > seq);
    s.above.splice(at < 0 ? s.above.length : at, 0, seq);
  }
  while (s.above.length > MAX_SEEN_ABOVE) s.contiguous = s.above.shift();
  while (s.above.length && s.above[0] <= s.contiguous + 1) s.contiguous = Math.max(s.contiguous, s.above.shift());
  return s;
}
