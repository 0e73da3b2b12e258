/** Plain node:http helpers: JSON bodies, the protocol header, and errors in the `{error:{code,message,details?}}` shape. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DIRECTORY_ERROR_STATUS, DIRECTORY_HEADERS, DIRECTORY_PROTOCOL_VERSION, type DirectoryErrorCode } from '../../shared/directory/wire';

export class DirectoryHttpError extends Error {
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get status(): number {
    return DIRECTORY_ERROR_STATUS[this.code];
  }

  toBody(): { error: { code: string; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export interface JsonResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The body already serialized (a snapshot page: see feed.ts snapshotPageJson); `body` is then unused. */
  json?: string;
}

export const errorResponse = (error: DirectoryHttpError): JsonResponse => ({
  status: error.status,
  body: error.toBody(),
  headers: error.headers,
});

export function baseHeaders(): Record<string, string> {
  return { 'Content-Type': 'application/json; charset=utf-8', [DIRECTORY_HEADERS.protocol]: String(DIRECTORY_PROTOCOL_VERSION), 'Cache-Control': 'no-store' };
}

const MAX_BODY = 1024 * 1024;

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new DirectoryHttpError('INVALID_REQUEST', 'Requête trop volumineuse.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DirectoryHttpError('INVALID_REQUEST', 'Le corps de la requête n’est pas du JSON valide.');
  }
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function sendBuffer(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...baseHeaders(), ...headers, 'Content-Length': String(body.length) });
  res.end(body);
}
