// Where key pairs come from (PROTOCOL.md §12.1): each X25519 key pair is one draw of 32 bytes.
// A source is an object with draw32(); the deterministic one rebuilds §13's recorded session.
import { blake2b, deterministicBytes, randomBytes } from './primitives.js';
import { concat, u8, u64le } from './bytes.js';

/** The system's secure random source. */
export function systemRandom() {
  return { draw32: () => randomBytes(32) };
}

/** §13: draw i is randombytes_buf_deterministic(32, BLAKE2b-256(s ‖ u64le(i))), s one byte. For tests. */
export function deterministicRandom(s) {
  let i = 0;
  return {
    draw32() {
      const seed = blake2b(concat(u8(s), u64le(i)), 32);
      i += 1;
      return deterministicBytes(32, seed);
    },
  };
}
