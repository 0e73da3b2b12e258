/**
 * The app:// scheme: the renderer is served from the built files at app://desk/ rather than file://, so it gets a
 * real origin, and every response carries the CSP.
 */
import { protocol } from 'electron';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { contentTypeOf, resolveRendererTarget } from './renderer-files';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from './security-policy';

/** Must run before the app is ready. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const securityHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

function textResponse(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Serves `rendererDir` (out/renderer) at app://desk/. Call once the app is ready. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method Not Allowed');
    const target = resolveRendererTarget({ url: request.url, accept: request.headers.get('accept') }, rendererDir);
    if (target.kind === 'forbidden') {
      console.warn(`[protocol] refused ${request.url}`);
      return textResponse(403, 'Forbidden');
    }
    if (target.kind === 'not-found') return textResponse(404, 'Not Found');

    let file = target.path;
    if (!(await isFile(file))) {
      if (!target.spaFallback) return textResponse(404, 'Not Found');
      file = join(rendererDir, 'index.html');
    }
    try {
      // fs (not net.fetch of file://) so the files can be read inside app.asar without file:// privileges.
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...securityHeaders, 'Content-Type': contentTypeOf(file), 'Cache-Control': 'no-cache' },
      });
    } catch (error) {
      console.error(`[protocol] cannot read ${file}:`, error);
      return textResponse(404, 'Not Found');
    }
  });
}
