// The relay a team would likely write instead: Node.js with the `ws` package over node:https,
// no persistence. Same JSON frames as bench/baselines/beast_relay.cpp (bench/README.md,
// "Baseline protocol"). Usage: node relay.js PORT CERT KEY
'use strict';
const fs = require('node:fs');
const https = require('node:https');
const { WebSocketServer } = require('ws');

const [port, certFile, keyFile] = process.argv.slice(2);
const server = https.createServer({
  cert: fs.readFileSync(certFile),
  key: fs.readFileSync(keyFile),
  minVersion: 'TLSv1.3',
});
const wss = new WebSocketServer({ server, path: '/v1', perMessageDeflate: false });
const members = new Map();
const pairSeq = new Map();

wss.on('connection', (socket) => {
  let member = 0;
  socket.on('message', (data) => {
    let request;
    try {
      request = JSON.parse(data);
    } catch {
      return;
    }
    const body = request.body || {};
    let result;
    if (request.type === 'login') {
      member = body.member;
      members.set(member, socket);
      result = { member };
    } else if (request.type === 'message.send') {
      const seq = (pairSeq.get(body.pair) || 0) + 1;
      pairSeq.set(body.pair, seq);
      const sentAt = Date.now();
      const partner = members.get(member ^ 1);
      if (partner) {
        const envelope = { pair: body.pair, seq, sender: member, sender_device: 1, client_id: body.client_id,
                           body: body.body, sent_at: sentAt };
        partner.send(JSON.stringify({ type: 'event', event: 'message', body: { envelope } }));
      }
      result = { pair: body.pair, seq, sent_at: sentAt, duplicate: false };
    } else {
      result = { acknowledged: 0 };
    }
    socket.send(JSON.stringify({ id: request.id, type: 'result', body: result }));
  });
  socket.on('close', () => {
    if (member && members.get(member) === socket) members.delete(member);
  });
});

server.listen(Number(port), '127.0.0.1', () => {
  console.log(`node-relay listening on 127.0.0.1:${port} (node ${process.version})`);
});
