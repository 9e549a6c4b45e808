// Building elements without HTML: text is only ever set as textContent and values as attributes
// or properties, never innerHTML, so a partner's or the server's string can never become markup
// (the page also runs under Trusted Types with no policy).

/**
 * An element: h('button', {type: 'button', class: 'x', onclick: fn, 'aria-label': '…'}, 'text', child).
 * Attribute values are strings set with setAttribute; on* keys add listeners; `value`, `checked`
 * and `disabled` are set as properties; children are nodes or strings (as text), null skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked' || k === 'disabled') el[k] = v;
    else if (k === 'srcdoc' || k === 'innerHTML' || k === 'outerHTML' || k === 'style') throw new Error(`h(): ${k} is not allowed`);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces el's children with the given ones (nodes or strings as text). */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let nextId = 0;
/** A new element id unique in this page (for label/for and aria-describedby). */
export function uid(prefix = 'ml') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled form field: {wrap, input}; attrs go to the input (type, name, autocomplete, ...). */
export function field(label, attrs = {}, tag = 'input') {
  const id = uid('field');
  const input = h(tag, { id, ...attrs });
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), input);
  return { wrap, input };
}
