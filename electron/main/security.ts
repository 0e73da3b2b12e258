/**
 * Hardening applied to the session and to every webContents the app ever creates (Electron security checklist):
 * no navigation away from the app, no new windows, no permissions, no <webview>, external links only to an allowlist.
 */
import { app, session, shell, type WebContents } from 'electron';
import { isAllowedExternalUrl, isTrustedUrl } from './security-policy';

function openExternalIfAllowed(url: string): void {
  if (!isAllowedExternalUrl(url)) {
    console.warn(`[security] blocked external URL ${url}`);
    return;
  }
  shell.openExternal(url).catch((error: unknown) => console.error('[security] openExternal failed:', error));
}

function hardenWebContents(contents: WebContents, trustedPrefixes: readonly string[]): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());

  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });

  // Top-level navigation away from the app is replaced by the system browser for allowlisted sites.
  contents.on('will-navigate', (event) => {
    if (isTrustedUrl(event.url, trustedPrefixes)) return;
    event.preventDefault();
    openExternalIfAllowed(event.url);
  });
  // Sub-frames and redirects are simply refused (will-navigate already handled the main frame's own request).
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isTrustedUrl(event.url, trustedPrefixes)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isTrustedUrl(event.url, trustedPrefixes)) event.preventDefault();
  });
}

/** Call before ready (for the web-contents hook) — the session part runs once the app is ready. */
export function applySecurityPolicy(trustedPrefixes: readonly string[]): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, trustedPrefixes));

  void app.whenReady().then(() => {
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_contents, permission, callback) => {
      console.warn(`[security] denied permission request: ${permission}`);
      callback(false);
    });
    ses.setPermissionCheckHandler(() => false);
  });
}
