// The browser's IndexedDB as a tiny key-value backend for storage.js: one database, one object
// store, values are structured-clonable (objects, strings, Uint8Arrays). Failures become results.
import { ok, fail } from '../protocol/result.js';

/** The database name; one per origin, so one per server the app is served from. */
export const DATABASE_NAME = 'mentorlink';
const STORE = 'files';

function promised(request) {
  return new Promise((resolve) => {
    request.onsuccess = () => resolve(ok(request.result));
    request.onerror = () => resolve(fail('storage', `the browser's storage failed: ${request.error?.message ?? 'unknown error'}`));
  });
}

/** Result of a backend {get, put, remove} over IndexedDB (factory: globalThis.indexedDB). */
export async function openIdbBackend(factory = globalThis.indexedDB, name = DATABASE_NAME) {
  if (!factory) return fail('storage', 'this browser has no IndexedDB, so mentorlink cannot keep its keys here');
  const request = factory.open(name, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  const db = await promised(request);
  if (!db.ok) return db;
  const run = (mode, fn) => {
    let tx;
    try {
      // A write is flushed before it completes (strict): a message is acknowledged right after it is saved.
      tx = mode === 'readonly' ? db.value.transaction(STORE, mode) : db.value.transaction(STORE, mode, { durability: 'strict' });
    } catch (e) {
      return Promise.resolve(fail('storage', `the browser's storage failed: ${e.message}`));
    }
    const result = promised(fn(tx.objectStore(STORE)));
    if (mode === 'readonly') return result;
    // A write counts once its transaction has committed.
    return new Promise((resolve) => {
      tx.oncomplete = () => resolve(ok(null));
      tx.onerror = () => resolve(fail('storage', `the browser's storage failed: ${tx.error?.message ?? 'unknown error'}`));
      tx.onabort = tx.onerror;
    });
  };
  return ok({
    get: (key) => run('readonly', (s) => s.get(key)),
    put: (key, value) => run('readwrite', (s) => s.put(value, key)),
    remove: (key) => run('readwrite', (s) => s.delete(key)),
  });
}

/** A backend in memory, for tests: the same interface as openIdbBackend's. */
export function memoryBackend() {
  const data = new Map();
  return {
    data,
    get: async (key) => ok(data.has(key) ? structuredClone(data.get(key)) : undefined),
    put: async (key, value) => { data.set(key, structuredClone(value)); return ok(null); },
    remove: async (key) => { data.delete(key); return ok(null); },
  };
}
