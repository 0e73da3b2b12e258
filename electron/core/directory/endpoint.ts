/**
 * Which directory addresses the app accepts. The directory link carries operators' passwords, session tokens and
 * minors' personal data, so it needs TLS; plain HTTP is accepted only to this machine (the embedded demo directory,
 * a local test peer), where nothing crosses a network.
 */
import { endpointStrings } from './strings';

/** Host names that stay on this machine, as `URL.hostname` spells them. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export type DirectoryAddress = { ok: true; url: string } | { ok: false; message: string };

/** Checks a directory base URL; the accepted form has no trailing slash. */
export function checkDirectoryUrl(value: string): DirectoryAddress {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, message: endpointStrings.invalid(value) };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: endpointStrings.invalid(value) };
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) return { ok: false, message: endpointStrings.insecure(value) };
  return { ok: true, url: url.href.replace(/\/+$/, '') };
}

/** `demo` (the embedded demo directory) or a directory URL, as the hosts' `--directory` option takes it. */
export function checkDirectoryOption(value: string): DirectoryAddress {
  return value === 'demo' ? { ok: true, url: 'demo' } : checkDirectoryUrl(value);
}
