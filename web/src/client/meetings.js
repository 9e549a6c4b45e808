// A pair's meetings (PROTOCOL.md §6 "Meetings"): every step as a request whose result is decoded
// and checked to be about the pair or meeting asked for, and what a screen needs to know about a
// list of them (the one under way, the next one, the chat that belongs to one).

/** How far ahead a meeting may be scheduled (§6: from now to five years ahead), in milliseconds. */
export const MAX_SCHEDULE_AHEAD_MS = 5 * 366 * 24 * 3600 * 1000;

/** Result of the time `at` (ms since the epoch) if a meeting may be scheduled then, seen from now. */
export function checkMeetingTime(at, now) {
  if (!Number.isSafeInteger(at)) return { ok: false, error: { code: 'invalid_field', message: 'that is not a date and time', field: 'at' } };
  if (at < now) return { ok: false, error: { code: 'invalid_field', message: 'that time has passed', field: 'at' } };
  if (at > now + MAX_SCHEDULE_AHEAD_MS) {
    return { ok: false, error: { code: 'invalid_field', message: 'a meeting can be scheduled at most five years ahead', field: 'at' } };
  }
  return { ok: true, value: at };
}

export class Meetings {
  /** call(type, body, asked) → Promise of the decoded result (protocol/replies.js). */
  constructor(call) {
    this.call = call;
  }

  async list(pair) {
    const r = await this.call('meeting.list', { pair }, { pair });
    return r.ok ? { ok: true, value: r.value.meetings } : r;
  }

  async step(type, body, asked) {
    const r = await this.call(type, body, asked);
    return r.ok ? { ok: true, value: r.value.meeting } : r;
  }

  schedule(pair, at) { return this.step('meeting.schedule', { pair, at }, { pair }); }
  reschedule(pair, meeting, at) { return this.step('meeting.reschedule', { meeting, at }, { pair, meeting }); }
  cancel(pair, meeting) { return this.step('meeting.cancel', { meeting }, { pair, meeting }); }
  join(pair, meeting) { return this.step('meeting.join', { meeting }, { pair, meeting }); }
  leave(pair, meeting) { return this.step('meeting.leave', { meeting }, { pair, meeting }); }
  end(pair, meeting) { return this.step('meeting.end', { meeting }, { pair, meeting }); }

  /** Starts the scheduled meeting `meeting`, or an unscheduled one when meeting is null. */
  start(pair, meeting = null) {
    const body = meeting === null ? { pair } : { pair, meeting };
    return this.step('meeting.start', body, meeting === null ? { pair } : { pair, meeting });
  }
}

/** The meeting under way, or null. */
export function meetingUnderWay(meetings) {
  return meetings.find((m) => m.status === 'started') ?? null;
}

/** The earliest scheduled meeting not yet started, or null. */
export function nextScheduled(meetings) {
  return meetings.filter((m) => m.status === 'scheduled').sort((a, b) => a.scheduledAt - b.scheduledAt)[0] ?? null;
}

/** Newest first: by start (or scheduled) time. */
export function newestFirst(meetings) {
  const when = (m) => m.startedAt ?? m.scheduledAt ?? 0;
  return [...meetings].sort((a, b) => when(b) - when(a) || b.id - a.id);
}

/** Whether a chat message sent at sentAt belongs to meeting m (between its start and end, §6). */
export function sentDuring(m, sentAt) {
  if (m.startedAt === null) return false;
  return sentAt >= m.startedAt && (m.endedAt === null || sentAt <= m.endedAt);
}
