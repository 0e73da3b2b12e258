/**
 * Maps an app:// request to a file of the built renderer (pure, no `electron` import): refuses anything outside
 * the renderer folder and falls back to index.html for client-side routes.
 */
import { extname, resolve, sep } from 'node:path';
import { APP_HOST } from './security-policy';

export type RendererTarget =
  | { kind: 'file'; path: string; spaFallback: boolean }
  | { kind: 'forbidden' }
  | { kind: 'not-found' };

export interface RendererRequest {
  url: string;
  /** The request's Accept header; navigations ask for text/html. */
  accept?: string | null;
}

export function resolveRendererTarget(request: RendererRequest, root: string): RendererTarget {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { kind: 'not-found' };
  }
  if (url.host !== APP_HOST) return { kind: 'not-found' };

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'forbidden' };
  }
  // Encoded separators and dot segments (`..%2F`) survive URL parsing; refuse them and NUL bytes outright.
  if (pathname.includes('\0') || pathname.includes('\\') || pathname.split('/').includes('..')) {
    return { kind: 'forbidden' };
  }

  const base = resolve(root);
  const relative = pathname.replace(/^\/+/, '') || 'index.html';
  const file = resolve(base, relative);
  if (file !== base && !file.startsWith(base + sep)) return { kind: 'forbidden' };
  return { kind: 'file', path: file, spaFallback: wantsSpaFallback(relative, request.accept) };
}

/** A missing route (no extension, or an HTML navigation) gets index.html; a missing asset stays a 404. */
function wantsSpaFallback(relative: string, accept: string | null | undefined): boolean {
  return extname(relative) === '' || (accept ?? '').includes('text/html');
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
