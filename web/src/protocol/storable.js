// Device state to and from JSON text for sealing (§12.6: the JSON inside is private to this
// implementation). Uint8Arrays become {"$b64": "..."}; parsing never throws.
import { decode, encode } from './base64url.js';
import { ok, fail } from './result.js';

/** JSON text of a state object holding Uint8Arrays, numbers, strings, booleans, null, arrays and objects. */
export function toStorableJson(value) {
  return JSON.stringify(value, (key, v) => (v instanceof Uint8Array ? { $b64: encode(v) } : v));
}

/** Result of the state object of toStorableJson's text. */
export function fromStorableJson(text) {
  let bad = false;
  let value;
  try {
    value = JSON.parse(text, (key, v) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.$b64 === 'string' && Object.keys(v).length === 1) {
        const bytes = decode(v.$b64);
        if (!bytes.ok) bad = true;
        return bytes.ok ? bytes.value : null;
      }
      return v;
    });
  } catch {
    return fail('malformed', 'the device state is not readable');
  }
  if (bad) return fail('malformed', 'the device state holds a damaged value');
  return ok(value);
}
