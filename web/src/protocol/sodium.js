// The one place libsodium is loaded. Call `await ready()` once before using any other module of
// this folder; after that every function here is synchronous.
import sodium from 'libsodium-wrappers-sumo';

/** Resolves once libsodium is initialised. */
export async function ready() {
  await sodium.ready;
  return sodium;
}

export { sodium };
