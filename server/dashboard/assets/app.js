// The coordinator dashboard: metadata only, from /dashboard/api/*, live over /dashboard/live.
// Every text from the server goes in through textContent, never as markup.
'use strict';

const state = { report: null, csrf: '', sortKey: 'pair', sortUp: true, selected: null };
const SVG = 'http://www.w3.org/2000/svg';

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function day(ms) { return ms === null || ms === undefined ? '–' : new Date(ms).toISOString().slice(0, 10); }
function pct(r) { return r === null || r === undefined ? '–' : Math.round(r * 100) + '%'; }
function orDash(v) { return v === null || v === undefined ? '–' : String(v); }
const contractWords = { none: 'none', draft: 'draft', signed_by_one: 'signed by one', signed: 'signed' };

// A bar chart of [{label, value}] as inline SVG.
function barChart(container, points, title) {
  container.replaceChildren();
  const width = 600, height = 160, pad = 22;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  const max = Math.max(1, ...points.map(p => p.value));
  const step = (width - pad) / Math.max(1, points.length);
  points.forEach((p, i) => {
    const h = (height - 2 * pad) * p.value / max;
    const bar = document.createElementNS(SVG, 'rect');
    bar.setAttribute('x', pad + i * step + 2);
    bar.setAttribute('y', height - pad - h);
    bar.setAttribute('width', Math.max(1, step - 4));
    bar.setAttribute('height', h);
    bar.setAttribute('fill', '#3e7cb1');
    bar.setAttribute('data-value', p.value);
    const tip = document.createElementNS(SVG, 'title');
    tip.textContent = `${p.label}: ${p.value}`;
    bar.appendChild(tip);
    svg.appendChild(bar);
    const label = document.createElementNS(SVG, 'text');
    label.setAttribute('x', pad + i * step + step / 2);
    label.setAttribute('y', height - 6);
    label.setAttribute('font-size', '10');
    label.setAttribute('text-anchor', 'middle');
    label.textContent = p.label;
    svg.appendChild(label);
    const value = document.createElementNS(SVG, 'text');
    value.setAttribute('x', pad + i * step + step / 2);
    value.setAttribute('y', height - pad - h - 4);
    value.setAttribute('font-size', '10');
    value.setAttribute('text-anchor', 'middle');
    value.textContent = String(p.value);
    svg.appendChild(value);
  });
  container.appendChild(svg);
}

function sortValue(row, key) {
  if (key === 'mentor' || key === 'mentee') return row[key].name.toLowerCase();
  const v = row[key];
  if (v === null || v === undefined) return -Infinity;
  return typeof v === 'boolean' ? Number(v) : v;
}

function renderTable() {
  const body = document.querySelector('#pairs tbody');
  body.replaceChildren();
  const rows = [...state.report.pairs].sort((a, b) => {
    const x = sortValue(a, state.sortKey), y = sortValue(b, state.sortKey);
    return (x < y ? -1 : x > y ? 1 : 0) * (state.sortUp ? 1 : -1);
  });
  for (const r of rows) {
    const tr = el('tr');
    tr.dataset.pair = r.pair;
    if (r.at_risk) tr.classList.add('at-risk');
    const pairCell = el('td', r.pair);
    if (r.coordinator_is_member) pairCell.append(' ', el('span', 'coordinator in pair', 'member-pair'));
    tr.append(pairCell, el('td', r.mentor.name), el('td', r.mentee.name), el('td', r.meetings_held),
              el('td', orDash(r.days_since_last_meeting)), el('td', contractWords[r.contract_status]),
              el('td', pct(r.agenda_ahead_rate)), el('td', pct(r.feedback_rate)),
              el('td', r.at_risk ? 'yes' : 'no', 'risk'));
    tr.addEventListener('click', () => { state.selected = r.pair; renderDetail(); });
    body.appendChild(tr);
    if (r.at_risk) {
      const why = el('tr');
      why.classList.add('at-risk');
      const cell = el('td', r.risk_reasons.map(x => x.why).join('; '), 'reasons');
      cell.colSpan = 9;
      why.appendChild(cell);
      body.appendChild(why);
    }
  }
}

function renderDetail() {
  const section = document.getElementById('pair-detail');
  const r = state.report.pairs.find(p => p.pair === state.selected);
  if (!r) { section.hidden = true; return; }
  section.hidden = false;
  document.getElementById('pair-title').textContent =
    `Pair ${r.pair}: ${r.mentor.name} mentors ${r.mentee.name} (${r.status}, formed ${day(r.formed_at)})`;
  const facts = document.getElementById('pair-facts');
  facts.replaceChildren(
    el('span', `contract: ${contractWords[r.contract_status]}${r.contract_signed_at ? ' on ' + day(r.contract_signed_at) : ''}`),
    el('span', `last meeting: ${day(r.last_meeting_at)}`),
    el('span', `mean interval: ${orDash(r.mean_interval_days)} days`),
    el('span', `mean duration: ${orDash(r.mean_duration_minutes)} min`),
    el('span', `agenda ahead: ${pct(r.agenda_ahead_rate)}`),
    el('span', `feedback: ${pct(r.feedback_rate)}`),
    el('span', `messages in 30 days: ${r.messages_last_30_days}`));
  if (r.coordinator_is_member) {
    facts.append(el('span', 'a coordinator of this programme is a member of this pair and reads its content as one',
                    'member-pair'));
  }
  barChart(document.getElementById('monthly-chart'),
           r.held_per_month.map(m => ({ label: m.month, value: m.held })), 'meetings held per month');
}

function render() {
  const rep = state.report;
  document.getElementById('programme-name').textContent = `· ${rep.programme.name}`;
  document.getElementById('cadence').textContent = rep.programme.cadence_days;
  const t = rep.totals;
  document.getElementById('participants').textContent = t.participants;
  document.getElementById('matched').textContent = t.matched;
  document.getElementById('unmatched').textContent = t.unmatched;
  document.getElementById('active-pairs').textContent = t.active_pairs;
  document.getElementById('meetings-per-week').textContent = t.meetings_per_week;
  document.getElementById('at-risk').textContent = rep.pairs.filter(p => p.at_risk).length;
  barChart(document.getElementById('weekly-chart'),
           t.held_per_week.map(w => ({ label: day(w.week_start).slice(5), value: w.held })), 'meetings held per week');
  renderTable();
  renderDetail();
}

async function getJson(path) {
  const res = await fetch(path, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
  if (res.status === 401) throw new Error('signed out: open a new link from "mentorlink dashboard"');
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

async function refresh(why) {
  const overview = await getJson('/dashboard/api/overview');
  state.report = overview.report;
  state.csrf = overview.csrf;
  render();
  const log = await getJson('/dashboard/api/access-log');
  const list = document.getElementById('access-log');
  list.replaceChildren(...log.entries.map(e =>
    el('li', `${new Date(e.at).toISOString().replace('T', ' ').slice(0, 16)} UTC · pair ${e.pair} · ${e.what}`)));
  const status = document.getElementById('status');
  status.textContent = `${why} ${new Date(state.report.generated_at).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
  status.dataset.generatedAt = state.report.generated_at;
}

function live() {
  const socket = new WebSocket(`wss://${location.host}/dashboard/live`);
  socket.addEventListener('message', event => {
    const frame = JSON.parse(event.data);
    if (frame.type !== 'event' || frame.event !== 'programme.activity') return;
    const a = frame.body;
    refresh(`live: pair ${a.pair} ${a.activity} ·`).catch(showError);
  });
  // The server closes the socket when the session ends: 4001 signed out, 4002 expired.
  const endings = { 4001: 'signed out', 4002: 'session expired' };
  socket.addEventListener('close', event => {
    const status = document.getElementById('status');
    const why = endings[event.code];
    status.textContent = why ? `${why}: open a new link from "mentorlink dashboard"`
                             : `${status.textContent} (live updates stopped)`;
    status.dataset.closed = String(event.code);
  });
}

function showError(e) { document.getElementById('status').textContent = e.message; }

document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('#pairs th').forEach(th => th.addEventListener('click', () => {
    const key = th.dataset.key;
    state.sortUp = state.sortKey === key ? !state.sortUp : true;
    state.sortKey = key;
    renderTable();
  }));
  document.getElementById('logout').addEventListener('click', async () => {
    await fetch('/dashboard/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': state.csrf } });
    location.reload();
  });
  refresh('updated').then(live).catch(showError);
});
