/**
 * The shell's security rules as pure data and functions (no `electron` import), shared by the window, the protocol
 * handler and the IPC sender check, and unit-testable under plain Node.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
/** Every page of the app lives under this prefix; compared as a string because Node gives custom schemes a null origin. */
export const APP_ORIGIN_PREFIX = `${APP_SCHEME}://${APP_HOST}/`;
export const APP_START_URL = `${APP_ORIGIN_PREFIX}index.html`;

export { CONTENT_SECURITY_POLICY } from '../core/web-assets';

/** Origins the app may hand to the system browser; everything else is dropped. */
export const EXTERNAL_ORIGINS: ReadonlySet<string> = new Set([
  'https://educonnect.education.gouv.fr',
  'https://www.education.gouv.fr',
]);

export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && url.username === '' && url.password === '' && EXTERNAL_ORIGINS.has(url.origin);
  } catch {
    return false;
  }
}

/** URL prefixes whose pages may navigate within the app and call the API: app:// and, in dev, the Vite server. */
export function trustedPrefixes(devServerUrl: string | undefined): string[] {
  const prefixes = [APP_ORIGIN_PREFIX];
  if (devServerUrl) prefixes.push(`${new URL(devServerUrl).origin}/`);
  return prefixes;
}

export function isTrustedUrl(raw: string | undefined, prefixes: readonly string[]): boolean {
  if (!raw) return false;
  return prefixes.some((prefix) => raw.startsWith(prefix));
}

/** Keeps the product name in the window title whatever the page sets (or leaves empty). */
export function windowTitle(pageTitle: string, productName: string): string {
  const title = pageTitle.trim();
  if (!title || /^[a-z][a-z0-9+.-]*:\/\//i.test(title)) return productName;
  return title.includes(productName) ? title : `${title} — ${productName}`;
}
