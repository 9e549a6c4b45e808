// A strict JSON (RFC 8259) reader for frames from the server (PROTOCOL.md §2, §3): one JSON text;
// an object naming a key twice at any depth is refused; numbers written with a fraction or an
// exponent are JsonFraction values, so an integer check can tell 1 from 1.0; objects have no
// prototype, so a key such as "__proto__" is only data. Never throws: returns a result.
import { ok, fail } from './result.js';

/** Nesting deeper than this is refused (a frame has a few levels). */
export const MAX_DEPTH = 64;

/** A number written with a fraction or exponent: never an integer field. */
export class JsonFraction {
  constructor(value) {
    this.value = value;
  }
}

class Malformed extends Error {}

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

function parse(text) {
  let at = 0;
  const ws = () => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      at++;
    }
  };
  const string = () => {
    at++; // opening quote
    let out = '';
    let start = at;
    for (;;) {
      if (at >= text.length) throw new Malformed('unterminated string');
      const c = text.charCodeAt(at);
      if (c === 0x22) {
        out += text.slice(start, at);
        at++;
        return out;
      }
      if (c < 0x20) throw new Malformed('a raw control character in a string');
      if (c === 0x5c) {
        out += text.slice(start, at);
        const e = text[at + 1];
        const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }[e];
        if (simple !== undefined) {
          out += simple;
          at += 2;
        } else if (e === 'u') {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Malformed('a bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else {
          throw new Malformed('a bad escape');
        }
        start = at;
      } else {
        at++;
      }
    }
  };
  const value = (depth) => {
    if (depth > MAX_DEPTH) throw new Malformed('nested too deeply');
    ws();
    const c = text[at];
    if (c === '{') {
      at++;
      const obj = Object.create(null);
      ws();
      if (text[at] === '}') {
        at++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[at] !== '"') throw new Malformed('an object key is not a string');
        const key = string();
        if (Object.hasOwn(obj, key)) throw new Malformed(`the key "${key}" appears twice in one object`);
        ws();
        if (text[at] !== ':') throw new Malformed('a missing colon');
        at++;
        obj[key] = value(depth + 1);
        ws();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return obj;
        }
        throw new Malformed('a missing comma or brace');
      }
    }
    if (c === '[') {
      at++;
      const arr = [];
      ws();
      if (text[at] === ']') {
        at++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          return arr;
        }
        throw new Malformed('a missing comma or bracket');
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', at)) {
      at += 4;
      return true;
    }
    if (text.startsWith('false', at)) {
      at += 5;
      return false;
    }
    if (text.startsWith('null', at)) {
      at += 4;
      return null;
    }
    NUMBER.lastIndex = at;
    const m = NUMBER.exec(text);
    if (m === null || m[0].length === 0) throw new Malformed('an unexpected character');
    at += m[0].length;
    const n = Number(m[0]);
    return m[1] !== undefined || m[2] !== undefined ? new JsonFraction(n) : n;
  };
  const v = value(0);
  ws();
  if (at !== text.length) throw new Malformed('text after the JSON value');
  return v;
}

/** Result of the value of one JSON text (objects without prototype; fractions as JsonFraction). */
export function parseJson(text) {
  if (typeof text !== 'string') return fail('malformed', 'the frame is not text');
  try {
    return ok(parse(text));
  } catch (e) {
    return fail('malformed', e instanceof Malformed ? `the frame is not valid JSON: ${e.message}` : 'the frame is not valid JSON');
  }
}

/** Whether v is a JSON object as parseJson makes them (not an array, not null). */
export function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonFraction);
}
