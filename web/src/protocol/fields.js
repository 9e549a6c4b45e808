// Checked reading of one JSON object from the server (PROTOCOL.md §3 "What a client checks"):
// every field present (or explicitly nullable), of its JSON type, in range, text valid, binary
// values canonical base64url of exactly their length. A Reader throws FieldError internally;
// `decodeWith` is the boundary that turns it into a result naming the field's path, so no
// exception leaves a decoder.
import { JsonFraction, isObject } from './json.js';
import { decode } from './base64url.js';
import { textProblem } from './text.js';
import { ok, fail } from './result.js';

export const MAX_ID = Number.MAX_SAFE_INTEGER;
export const MAX_ENVELOPE_BODY_BYTES = 131072;
/** The latest time a JavaScript Date can hold (ms since 1970): a later server time would throw when shown. */
export const MAX_TIME_MS = 8640000000000000;

export class FieldError extends Error {
  constructor(path, problem) {
    super(`${path} ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}

function join(path, name) {
  if (typeof name === 'number') return `${path}[${name}]`;
  return path === '' ? name : `${path}.${name}`;
}

export class Reader {
  /** obj: a parsed JSON object; path: where it is in the frame ('' for the body). */
  constructor(obj, path = '') {
    if (!isObject(obj)) throw new FieldError(path || 'body', 'is not an object');
    this.obj = obj;
    this.path = path;
  }

  raw(name, nullable = false) {
    const path = join(this.path, name);
    if (!Object.hasOwn(this.obj, name)) throw new FieldError(path, 'is missing');
    const v = this.obj[name];
    if (v === null && !nullable) throw new FieldError(path, 'is null');
    return v;
  }

  has(name) {
    return Object.hasOwn(this.obj, name) && this.obj[name] !== null;
  }

  /** An integer in min..max (null allowed if nullable). */
  int(name, min, max, nullable = false) {
    const v = this.raw(name, nullable);
    if (v === null) return null;
    if (v instanceof JsonFraction || typeof v !== 'number' || !Number.isSafeInteger(v)) {
      throw new FieldError(join(this.path, name), 'is not an integer');
    }
    if (v < min || v > max) throw new FieldError(join(this.path, name), `is outside ${min}..${max}`);
    return v;
  }

  /** An id: 1..2^53-1. */
  id(name, nullable = false) {
    return this.int(name, 1, MAX_ID, nullable);
  }

  /** A count: 0..2^53-1. */
  count(name, nullable = false) {
    return this.int(name, 0, MAX_ID, nullable);
  }

  /** A time in ms since 1970: 0..MAX_TIME_MS. */
  time(name, nullable = false) {
    return this.int(name, 0, MAX_TIME_MS, nullable);
  }

  bool(name) {
    const v = this.raw(name);
    if (typeof v !== 'boolean') throw new FieldError(join(this.path, name), 'is not true or false');
    return v;
  }

  /** One of the listed words. */
  word(name, allowed, nullable = false) {
    const v = this.raw(name, nullable);
    if (v === null) return null;
    if (typeof v !== 'string' || !allowed.includes(v)) throw new FieldError(join(this.path, name), `is not one of ${allowed.join(', ')}`);
    return v;
  }

  /** Text of at most maxBytes (§2). */
  text(name, maxBytes, { allowEmpty = false, nullable = false } = {}) {
    const v = this.raw(name, nullable);
    if (v === null) return null;
    const problem = textProblem(v, maxBytes, allowEmpty);
    if (problem !== null) throw new FieldError(join(this.path, name), problem);
    return v;
  }

  /** Canonical base64url of exactly length bytes. */
  bytes(name, length, nullable = false) {
    return this.bytesBetween(name, length, length, nullable);
  }

  /** Canonical base64url of min..max bytes. */
  bytesBetween(name, min, max, nullable = false) {
    const v = this.raw(name, nullable);
    if (v === null) return null;
    const r = decode(v);
    if (!r.ok) throw new FieldError(join(this.path, name), `is not canonical base64url (${r.error.message})`);
    if (r.value.length < min || r.value.length > max) {
      throw new FieldError(join(this.path, name), min === max ? `is not ${min} bytes` : `is not ${min}..${max} bytes`);
    }
    return r.value;
  }

  /** A nested object's Reader. */
  object(name, nullable = false) {
    const v = this.raw(name, nullable);
    if (v === null) return null;
    return new Reader(v, join(this.path, name));
  }

  /** Each element of an array of at most max items, mapped by fn(value, path). */
  array(name, max, fn) {
    const v = this.raw(name);
    const path = join(this.path, name);
    if (!Array.isArray(v)) throw new FieldError(path, 'is not an array');
    if (v.length > max) throw new FieldError(path, `has more than ${max} items`);
    return v.map((item, i) => fn(item, join(path, i)));
  }

  /** Each element of an array of objects, mapped by fn(Reader). */
  objects(name, max, fn) {
    return this.array(name, max, (item, path) => fn(new Reader(item, path)));
  }
}

/** Runs fn() and returns its value as a result; a FieldError becomes a failure naming the field. */
export function decodeWith(fn) {
  try {
    return ok(fn());
  } catch (e) {
    if (e instanceof FieldError) {
      return fail('unreadable_reply', `the server sent a reply this client cannot read: ${e.path} ${e.problem}`, e.path);
    }
    return fail('unreadable_reply', 'the server sent a reply this client cannot read');
  }
}

/** Throws a FieldError at path unless cond (for checks across fields). */
export function check(cond, path, problem) {
  if (!cond) throw new FieldError(path, problem);
}
