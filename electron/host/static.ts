import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { CONTENT_SECURITY_POLICY, contentTypeOf } from '../core/web-assets';

export const badAddress = (): ApiError =>
  new ApiError('INVALID_INPUT', 'Adresse de la requête invalide (encodage « % » incorrect).');

/** decodeURIComponent, with a malformed escape answered 400 rather than thrown as an internal error (500). */
export function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw badAddress();
  }
}

/**
 * Serves the built renderer. Unknown paths without an extension get index.html so client-side routes survive a
 * reload; anything resolving outside the root is refused. Refusals are thrown as ApiError, answered in the error shape.
 */
export function serveStatic(root: string, urlPath: string, res: ServerResponse, method: string): void {
  const base = resolve(root);
  const decoded = decodePath(urlPath);
  const candidate = resolve(join(base, normalize(decoded)));
  if (candidate !== base && !candidate.startsWith(base + sep)) throw new ApiError('FORBIDDEN', 'Chemin refusé.');
  let file = candidate;
  if (!existsSync(file) || statSync(file).isDirectory()) {
    if (extname(decoded) !== '') throw new ApiError('NOT_FOUND', 'Fichier introuvable.');
    file = join(base, 'index.html');
  }
  const type = contentTypeOf(file);
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': statSync(file).size,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
