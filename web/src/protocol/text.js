// Text fields (PROTOCOL.md §2): well-formed UTF-8 (no lone surrogates), within a maximum length in
// bytes, without control characters: U+0000-U+001F except tab (and newline in long fields, whose
// maximum is over 200 bytes), U+007F, U+0080-U+009F, and the bidi formatting characters U+061C,
// U+200E, U+200F, U+202A-U+202E, U+2066-U+2069. Carriage return is refused everywhere.

/** Fields with a maximum above this many bytes are "long" and may hold newlines. */
export const LONG_FIELD_BYTES = 200;

/** Whether code point cp is a control character for a field (long: newlines allowed). */
export function isControl(cp, long) {
  if (cp === 0x09) return false;
  if (cp === 0x0a) return !long;
  if (cp <= 0x1f || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f)) return true;
  return cp === 0x061c || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/** The UTF-8 length of a JS string, or -1 if it holds a lone surrogate (not encodable as UTF-8). */
export function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return -1;
      n += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return -1;
    else n += 3;
  }
  return n;
}

/** null if s is a valid text of at most maxBytes (empty only if allowEmpty), else a sentence why not. */
export function textProblem(s, maxBytes, allowEmpty = false) {
  if (typeof s !== 'string') return 'is not text';
  if (s.length === 0) return allowEmpty ? null : 'is empty';
  const bytes = utf8Length(s);
  if (bytes < 0) return 'is not well-formed UTF-8';
  if (bytes > maxBytes) return `is longer than ${maxBytes} bytes`;
  const long = maxBytes > LONG_FIELD_BYTES;
  for (const ch of s) if (isControl(ch.codePointAt(0), long)) return 'holds a control character';
  return null;
}
