/**
 * `npm run serve`: the browser host. Serves the built renderer and the API on 127.0.0.1.
 *   --port N          0 (default) picks a free port
 *   --data DIR        data folder (default: the OS app-data folder)
 *   --directory demo|URL   https://…, or http:// to this machine only (127.0.0.1, ::1, localhost)
 *   --bind ADDR       loopback only; anything else is refused
 *   --json            print one line {"url","token","port"} for scripts
 *   --open            open the default browser on the app, with a one-time launch code (never the token: a
 *                     command line is readable by every local user)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/api/errors';
import { createCore } from '../core';
import { checkDirectoryOption } from '../core/directory/endpoint';
import { defaultDataDir } from '../core/paths';
import { startHost } from './server';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function parseDirectory(value: string): string {
  const checked = checkDirectoryOption(value);
  return checked.ok ? checked.url : fail(checked.message);
}

function ensureRendererBuilt(rendererDir: string, quiet: boolean): void {
  if (existsSync(join(rendererDir, 'index.html'))) return;
  if (!quiet) process.stderr.write('Première exécution : construction de l’interface…\n');
  const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
  const result = spawnSync(bin, ['build'], { cwd: root, stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
  if (result.status !== 0 || !existsSync(join(rendererDir, 'index.html'))) {
    fail("Impossible de construire l'interface (npm run build). Vérifiez l'installation (npm ci).");
  }
}

function openBrowser(url: string): void {
  const command =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] :
    process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command[0] as string, command[1] as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No default browser here: the URL is printed anyway.
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      data: { type: 'string' },
      directory: { type: 'string', default: 'demo' },
      bind: { type: 'string', default: '127.0.0.1' },
      json: { type: 'boolean', default: false },
      open: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`Port invalide : « ${values.port} ».`);
  const directory = parseDirectory(values.directory);
  const appVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const rendererDir = join(root, 'out', 'renderer');
  const dataDir = resolve(values.data ?? defaultDataDir());

  const core = (() => {
    try {
      return createCore({ dataDir, directory, appVersion, host: 'browser' });
    } catch (error) {
      if (error instanceof ApiError) fail(`${error.message} [${error.code}]`);
      throw error;
    }
  })();
  let host;
  try {
    host = await startHost({ core, rendererDir, port, bind: values.bind, appVersion });
  } catch (error) {
    core.close();
    if (error instanceof ApiError) fail(`${error.message} [${error.code}]`);
    fail(`Impossible d'écouter sur le port ${port} : ${(error as Error).message}`);
  }
  const running = host;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void running.close().then(() => {
      core.close();
      process.exit(0);
    });
  };
  // Before the address is printed: whoever reads it may stop us at once.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  // The API answers at once; the renderer is built afterwards on a first run so /healthz never waits on it.
  ensureRendererBuilt(rendererDir, values.json);

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ url: host.url, token: host.token, port: host.port })}\n`);
  } else {
    process.stdout.write(`EduConnect Desk (version navigateur) : ${host.openUrl}\nDossier de données : ${dataDir}\n`);
  }
  if (values.open) openBrowser(host.launchUrl());
}

void main();
