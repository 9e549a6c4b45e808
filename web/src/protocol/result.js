// Results instead of exceptions: every decoder and check in this folder returns one of these, so
// hostile input from the server or the partner can never throw out of the protocol layer.
//   { ok: true, value }  or  { ok: false, error: { code, message, field? } }

/** A successful result carrying value. */
export function ok(value) {
  return { ok: true, value };
}

/** A failure: code is a stable word, message a sentence for a person, field (optional) a path. */
export function fail(code, message, field) {
  const error = { code, message };
  if (field !== undefined) error.field = field;
  return { ok: false, error };
}
