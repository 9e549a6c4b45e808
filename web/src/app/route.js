// The page's location fragment as a route; the invite code in #invite=CODE never reaches the
// server (fragments are not sent), nor its logs.

/** {name: 'invite', code} | {name: 'unlock'} | {name: 'pairs'} | {name: 'pair', pairId, tab} | {name: 'home'}. */
export function parseRoute(hash) {
  const h = (hash ?? '').replace(/^#/, '');
  const invite = /^invite=([A-Za-z0-9 -]{1,100})$/.exec(decodeSafe(h));
  if (invite) return { name: 'invite', code: invite[1] };
  if (h === '/unlock') return { name: 'unlock' };
  if (h === '/pairs') return { name: 'pairs' };
  const pair = /^\/pair\/([1-9][0-9]{0,15})(?:\/([a-z-]{1,20}))?$/.exec(h);
  if (pair && Number.isSafeInteger(Number(pair[1]))) return { name: 'pair', pairId: Number(pair[1]), tab: pair[2] ?? 'chat' };
  return { name: 'home' };
}

function decodeSafe(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The fragment of a pair tab. */
export function pairHash(pairId, tab = 'chat') {
  return `#/pair/${pairId}/${tab}`;
}
