// The call's frame worker (bundled on its own as /app/call_worker.js): every encoded audio and
// video frame is sealed before it is sent and opened when it arrives (call_frames.js, PROTOCOL.md
// §12.9); a frame that does not open (another key, tampered, replayed) is dropped, never decoded.
// Messages from the page: {type: 'send-key', key, callId, tamper} (this join's own key; tamper is
// for tests only: flips a sealed byte so the partner must drop every frame), {type: 'receive-key',
// key, callId} (the partner's join), {type: 'counts'} → {type: 'counts', sealed, opened, dropped}.
import { deriveFrameKeys, sealFrame, openFrame } from '../protocol/call_frames.js';

let sending = null;
let receiving = null;
let receivingId = null;
let tamper = false;
const counts = { sealed: 0, opened: 0, dropped: 0 };

function hex(bytes) {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

self.onmessage = async ({ data }) => {
  if (data.type === 'send-key' && sending === null) {
    tamper = data.tamper === true;
    sending = deriveFrameKeys(data.key, data.callId); // once per join: the counter never restarts
  } else if (data.type === 'receive-key') {
    const id = hex(data.callId);
    if (id === receivingId) return; // the same join's key again (a restart): its replay window stays
    receivingId = id;
    receiving = deriveFrameKeys(data.key, data.callId);
  } else if (data.type === 'counts') {
    self.postMessage({ type: 'counts', ...counts });
  }
};

async function seal(kind, frame, controller) {
  if (sending === null) return;
  const sealed = await sealFrame(await sending, kind, new Uint8Array(frame.data));
  if (sealed === null) return;
  if (tamper) sealed[sealed.length - 8] ^= 0x01; // inside the tag
  frame.data = sealed.buffer;
  counts.sealed += 1;
  controller.enqueue(frame);
}

async function open(kind, frame, controller) {
  const opened = receiving === null ? null : await openFrame(await receiving, kind, new Uint8Array(frame.data));
  if (opened === null) {
    counts.dropped += 1;
    return;
  }
  frame.data = opened.buffer;
  counts.opened += 1;
  controller.enqueue(frame);
}

self.onrtctransform = ({ transformer }) => {
  const { side, kind } = transformer.options;
  const step = side === 'send' ? seal : open;
  transformer.readable
    .pipeThrough(new TransformStream({ transform: (frame, controller) => step(kind, frame, controller) }))
    .pipeTo(transformer.writable)
    .catch(() => {}); // the call ended
};
