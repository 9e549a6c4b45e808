// The device's state at rest (PROTOCOL.md §12.6): device keys, the pairs' channels, document keys
// and heads, access-log heads. Sealed under the key store's storage key with purpose
// "device-state"; the JSON inside is private to this client except `"format": 2`. Opening refuses
// anything else as unreadable, never half-read.
import { seal, openSealed, DEVICE_STATE_PURPOSE } from './key_store.js';
import { toStorableJson, fromStorableJson } from './storable.js';
import { utf8, fromUtf8 } from './bytes.js';
import { isObject } from './json.js';
import { ok, fail } from './result.js';

export const STATE_FORMAT = 2;

/** A new state around freshly generated device keys. */
export function newDeviceState(deviceKeys) {
  return { format: STATE_FORMAT, deviceKeys, channels: {}, documents: {}, accessLogHeads: {} };
}

/** The sealed bytes of state. */
export function sealDeviceState(storageKey, state) {
  return seal(storageKey, DEVICE_STATE_PURPOSE, utf8(toStorableJson(state)));
}

/** Result of the state in sealed bytes; unreadable for another format (e.g. written by protocol 1). */
export function openDeviceState(storageKey, sealed) {
  const data = openSealed(storageKey, DEVICE_STATE_PURPOSE, sealed);
  if (!data.ok) return data;
  const text = fromUtf8(data.value);
  if (text === null) return fail('malformed', 'the device state is not readable');
  const state = fromStorableJson(text);
  if (!state.ok) return state;
  if (!isObject(state.value)) return fail('malformed', 'the device state is not readable');
  if (state.value.format !== STATE_FORMAT) return fail('unreadable', 'the device state was written by another version of mentorlink');
  return state;
}
