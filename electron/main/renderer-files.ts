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

export { contentTypeOf } from '../core/web-assets';
