/**
 * The browser host's per-launch token reaches the page in the URL fragment, which never reaches a server log, in one
 * of two forms: `#token=…` (the address printed at start, Playwright, scripts) or `#code=…`, a one-time launch code
 * (what `--open` hands the default browser, so the token never appears on a command line), exchanged here for the
 * token. Either is removed from the address bar at once; the token is kept for the tab's lifetime (sessionStorage).
 */
const STORAGE_KEY = 'educonnect-desk.token';
/** Must match the host's LAUNCH_EXCHANGE_PATH (electron/host/server.ts). */
const EXCHANGE_PATH = '/api/session/exchange';

/** The launch code's exchange while it runs: API calls wait for it. */
let exchanging: Promise<void> | null = null;

export function captureTokenFromUrl(): void {
  const hash = window.location.hash;
  if (!hash.startsWith('#')) return;
  const params = new URLSearchParams(hash.slice(1));
  const token = params.get('token');
  const code = params.get('code');
  if (token === null && code === null) return;
  if (token) sessionStorage.setItem(STORAGE_KEY, token);
  else if (code) exchanging = exchangeLaunchCode(code);
  params.delete('token');
  params.delete('code');
  const rest = params.toString();
  const url = `${window.location.pathname}${window.location.search}${rest === '' ? '' : `#${rest}`}`;
  window.history.replaceState(window.history.state, '', url);
}

/**
 * A refused code (used, expired) leaves the tab without a token: its API calls then get the host's own 401 message,
 * which says to open the address printed at start.
 */
async function exchangeLaunchCode(code: string): Promise<void> {
  try {
    const response = await fetch(EXCHANGE_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ code }),
      cache: 'no-store',
    });
    if (!response.ok) return;
    const body = (await response.json()) as { token?: unknown };
    if (typeof body.token === 'string' && body.token !== '') sessionStorage.setItem(STORAGE_KEY, body.token);
  } catch {
    // The host is unreachable: the calls that follow say so.
  }
}

export async function readToken(): Promise<string | null> {
  if (exchanging) await exchanging;
  return sessionStorage.getItem(STORAGE_KEY);
}
