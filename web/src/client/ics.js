// A meeting as an iCalendar file (RFC 5545) for the person's own calendar, made in the browser: one
// VEVENT whose UID stays the same across reschedules, so a calendar replaces the old time.
// Text values are escaped and lines folded at 75 octets; lines end in CRLF.

/** How long the event lasts in the calendar when nothing else is known. */
export const DEFAULT_DURATION_MINUTES = 60;
const FOLD_OCTETS = 75;

function stamp(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** text escaped as an iCalendar TEXT value (backslash, semicolon, comma, newline); control characters dropped. */
export function escapeText(text) {
  return String(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** line folded into lines of at most 75 octets (continuations start with a space), never inside a character. */
export function fold(line) {
  const encoder = new TextEncoder();
  const out = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = encoder.encode(ch).length;
    const limit = out.length === 0 ? FOLD_OCTETS : FOLD_OCTETS - 1;
    if (octets + n > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

/**
 * The .ics text of meeting m ({id, pair, status, scheduledAt}) at `host` (for the UID), with
 * summary and description (text from the catalogue and the pair's names), made at `now` (ms).
 */
export function meetingIcs({ meeting, host, summary, description = '', now, durationMinutes = DEFAULT_DURATION_MINUTES }) {
  const start = meeting.scheduledAt ?? meeting.startedAt ?? now;
  const lines = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//mentorlink//web app//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:meeting-${meeting.id}-pair-${meeting.pair}@${escapeText(host)}`,
    `DTSTAMP:${stamp(now)}`,
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(start + durationMinutes * 60000)}`,
    `SEQUENCE:${Math.floor(now / 1000)}`,
    `SUMMARY:${escapeText(summary)}`,
  ];
  if (description !== '') lines.push(`DESCRIPTION:${escapeText(description)}`);
  lines.push(`STATUS:${meeting.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT', 'END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** The file name offered for meeting m's download. */
export function icsFileName(meeting) {
  return `mentorlink-meeting-${meeting.id}.ics`;
}
