// Key pairs: the member's Ed25519 identity (from a 32-byte seed) and X25519 key pairs (one
// random draw each, §12.1: the 32 drawn bytes are the secret as they are).
import { signSeedKeypair, x25519, x25519Base } from './primitives.js';

/** The identity key pair {seed, publicKey, privateKey} of a 32-byte seed (crypto_sign_seed_keypair). */
export function identityFromSeed(seed) {
  const kp = signSeedKeypair(seed);
  return { seed: Uint8Array.from(seed), publicKey: kp.publicKey, privateKey: kp.privateKey };
}

/** An X25519 key pair {secret, publicKey} from 32 secret bytes. */
export function dhFromSecret(secret) {
  return { secret: Uint8Array.from(secret), publicKey: x25519Base(secret) };
}

/** A new X25519 key pair from one draw of random. */
export function dhGenerate(random) {
  return dhFromSecret(random.draw32());
}

/** X25519 of our key pair with their public key, or null for a low-order key. */
export function dh(pair, theirPublic) {
  return x25519(pair.secret, theirPublic);
}
