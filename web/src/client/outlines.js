// Starting text for a new document (the CLI's, client-cli/commands/document_commands.cpp, in the
// person's language: the outlines themselves live in the catalogues) and a contract drafted from a
// programme template with {{mentor}}, {{mentee}}, {{programme}} and {{date}} filled in (§6).

/** The catalogue key of the starting outline for a new document of kind (a word), or null (contract). */
export function outlineKey(kind) {
  return { agenda: 'outline.agenda', goals: 'outline.goals', feedback: 'outline.feedback', reflection: 'outline.reflection' }[kind] ?? null;
}

/** The starting text for a new document of kind: t(key) from the catalogue, '' for a contract. */
export function startingText(kind, t) {
  const key = outlineKey(kind);
  return key === null ? '' : t(key);
}

/** YYYY-MM-DD of ms in UTC, as the CLI's today_utc(). */
export function dateUtc(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** text with every placeholder replaced; values are inserted as they are, never read as placeholders again. */
export function fillTemplate(text, { mentor, mentee, programme, date }) {
  const values = { mentor, mentee, programme, date };
  return text.replace(/\{\{(mentor|mentee|programme|date)\}\}/g, (_, name) => values[name]);
}

/**
 * Of the programme's templates (newest version of each name), the one to draft from: the one the
 * person chose, else the one named defaultName, else the first; null when there is none.
 */
export function chooseTemplate(templates, chosenId = null, defaultName = 'Mentoring contract') {
  if (chosenId !== null) return templates.find((t) => t.id === chosenId) ?? null;
  return templates.find((t) => t.name === defaultName) ?? templates[0] ?? null;
}
