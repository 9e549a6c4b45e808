// The client's connection: requests answered in order and decoded against what was asked;
// hostile frames (unreadable, unknown ids, out of order, wrong pair) used for nothing and reported;
// pending requests fail when the socket closes; onOpen runs before queued requests go out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './helpers.js';
import { Connection, askedOf } from '../src/client/connection.js';

class FakeSocket {
  static last = null;
  static unreachable = false;
  static made = 0;
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.last = this;
    FakeSocket.made += 1;
    if (FakeSocket.unreachable) queueMicrotask(() => { this.readyState = 3; this.onclose?.(); });
    else queueMicrotask(() => { this.readyState = 1; this.onopen?.(); });
  }
  send(text) { this.sent.push(JSON.parse(text)); }
  close() { this.readyState = 3; queueMicrotask(() => this.onclose?.()); }
  reply(frame) { this.onmessage({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) }); }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

async function started(options = {}) {
  const c = new Connection('wss://example/v1', { WebSocket: FakeSocket, ...options });
  const problems = [];
  c.on('problem', (p) => problems.push(p));
  const opened = await c.start();
  assert.equal(opened.ok, true);
  return { c, socket: FakeSocket.last, problems };
}

test('a result is decoded against what was asked: presence.get naming another pair is refused', async () => {
  const { c, socket, problems } = await started();
  const asking = c.request('presence.get', { pair: 7 });
  await tick();
  const sent = socket.sent[0];
  assert.deepEqual(sent, { id: sent.id, type: 'presence.get', body: { pair: 7 } });
  socket.reply({ id: sent.id, type: 'result', body: { pair: 8, member: 3, online: true } });
  const r = await asking;
  assert.equal(r.ok, false);
  assert.equal(r.error.code, 'unreadable_reply');
  assert.equal(problems.length, 1);
  c.close();
});

test('answers in order resolve their requests; an answer to an id not asked is reported and used for nothing', async () => {
  const { c, socket, problems } = await started();
  const first = c.request('presence.get', { pair: 1 });
  const second = c.request('presence.get', { pair: 2 });
  await tick();
  const [a, b] = socket.sent;
  socket.reply({ id: b.id, type: 'result', body: { pair: 2, member: 3, online: false } }); // out of order
  assert.equal(problems.length, 1);
  socket.reply({ id: a.id, type: 'result', body: { pair: 1, member: 3, online: true } });
  socket.reply({ id: b.id, type: 'result', body: { pair: 2, member: 3, online: false } });
  assert.deepEqual((await first).value, { pair: 1, member: 3, online: true });
  assert.deepEqual((await second).value, { pair: 2, member: 3, online: false });
  c.close();
});

test('errors keep their code; unknown codes become internal; malformed frames and binary data are reported', async () => {
  const { c, socket, problems } = await started();
  const one = c.request('pair.list', {});
  const two = c.request('pair.list', {});
  await tick();
  socket.reply({ id: socket.sent[0].id, type: 'error', error: { code: 'forbidden', message: 'no', field: 'programme' } });
  socket.reply({ id: socket.sent[1].id, type: 'error', error: { code: 'evil_code', message: 'x' } });
  assert.deepEqual(await one, { ok: false, error: { code: 'forbidden', message: 'no', field: 'programme' } });
  assert.equal((await two).error.code, 'internal');
  socket.reply('{"type":"result","id":1,"id":2,"body":{}}');
  socket.onmessage({ data: new Uint8Array(3) });
  socket.reply({ type: 'event', event: 'message', body: { envelope: { pair: 1 } } });
  assert.equal(problems.length, 3);
  c.close();
});

test('events are decoded and delivered by name', async () => {
  const { c, socket } = await started();
  const seen = [];
  c.on('presence', (b) => seen.push(b));
  socket.reply({ type: 'event', event: 'presence', body: { pair: 4, member: 9, online: true } });
  assert.deepEqual(seen, [{ pair: 4, member: 9, online: true }]);
  c.close();
});

test('a closed socket fails the pending requests, then reconnects and runs onOpen before requests go out', async () => {
  let opens = 0;
  const { c, socket } = await started({ onOpen: async () => { opens += 1; return { ok: true, value: null }; } });
  const pending = c.request('pair.list', {});
  await tick();
  socket.close();
  const r = await pending;
  assert.equal(r.error.code, 'offline');
  const later = c.request('pair.list', {});
  await new Promise((resolve) => setTimeout(resolve, 700)); // RECONNECT_FIRST_MS
  assert.equal(opens, 2);
  const again = FakeSocket.last;
  assert.notEqual(again, socket);
  assert.equal(again.sent.length, 1);
  again.reply({ id: again.sent[0].id, type: 'result', body: { pairs: [] } });
  assert.deepEqual((await later).value, { pairs: [] });
  c.close();
});

test('askedOf takes what a body names for the reply checks', () => {
  assert.deepEqual(askedOf({ pair: 3, document: 9, text: 'x' }), { pair: 3, document: 9 });
  assert.deepEqual(askedOf(undefined), {});
});

test('a refused login stops the connection for good; an unreachable server fails the first start', async () => {
  const refused = new Connection('wss://example/v1', { WebSocket: FakeSocket, onOpen: async () => ({ ok: false, error: { code: 'unknown_identity', message: 'who?' } }) });
  const made = FakeSocket.made;
  assert.equal((await refused.start()).error.code, 'unknown_identity');
  await new Promise((resolve) => setTimeout(resolve, 700)); // longer than RECONNECT_FIRST_MS
  assert.equal(FakeSocket.made, made + 1, 'no second attempt after a refused login');

  FakeSocket.unreachable = true;
  const down = new Connection('wss://example/v1', { WebSocket: FakeSocket });
  assert.equal((await down.start()).error.code, 'offline');
  down.close();
  FakeSocket.unreachable = false;
});
