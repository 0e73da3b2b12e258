/**
 * The browser host hands out a per-launch token in the URL fragment (`#token=…`), which never reaches a server log.
 * It is kept for the tab's lifetime only (sessionStorage) and removed from the address bar at once.
 */
const STORAGE_KEY = 'educonnect-desk.token';

export function captureTokenFromUrl(): void {
  const hash = window.location.hash;
  if (!hash.startsWith('#')) return;
  const params = new URLSearchParams(hash.slice(1));
  const token = params.get('token');
  if (token === null) return;
  if (token !== '') sessionStorage.setItem(STORAGE_KEY, token);
  params.delete('token');
  const rest = params.toString();
  const url = `${window.location.pathname}${window.location.search}${rest === '' ? '' : `#${rest}`}`;
  window.history.replaceState(window.history.state, '', url);
}

export function readToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}
