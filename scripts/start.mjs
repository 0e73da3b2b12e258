#!/usr/bin/env node
/**
 * `npm start`: runs the desktop app when an Electron binary is installed, otherwise the browser host.
 *
 *   npm start [-- --data DIR] [--directory demo|URL] [--browser]
 *
 * Electron path: builds with electron-vite when out/ is older than the sources, makes sure better-sqlite3 is
 * compiled for Electron's ABI (`electron-builder install-app-deps`, which downloads Electron's headers and so needs
 * internet; afterwards the Node tests need `npm rebuild better-sqlite3` to get the Node build back), then launches.
 * No binary: tries Electron's own installer once (60 s max), then falls back to `electron/host/cli.ts --open`.
 * Never requires the `electron` package: electron@45 downloads its binary lazily on require.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const INSTALL_TIMEOUT_MS = 60_000;

const USAGE = 'npm start [-- --data DIR] [--directory demo|URL] [--browser]';

function readOptions() {
  try {
    return parseArgs({
      options: {
        data: { type: 'string' },
        directory: { type: 'string', default: 'demo' },
        browser: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nUsage : ${USAGE}`);
    process.exit(2);
  }
}

const options = readOptions();

/** Path of the installed Electron executable, or null; mirrors node_modules/electron/index.js without downloading. */
function installedElectron() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist');
  const binary = join(distDir, executable);
  return executable && existsSync(binary) ? binary : null;
}

function electronVersion() {
  return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
}

/** Electron's own installer, silenced: when it fails, the single fallback line below says what happens. */
function tryInstallElectron() {
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: root,
    stdio: 'ignore',
    timeout: INSTALL_TIMEOUT_MS,
  });
  return result.status === 0 ? installedElectron() : null;
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function buildIfNeeded() {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p));
  const sources = ['electron', 'shared', 'renderer', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p));
  const built = outputs.every((p) => existsSync(p)) ? Math.min(...outputs.map((p) => statSync(p).mtimeMs)) : 0;
  if (built > Math.max(...sources.map(newestMtime))) return;
  console.log('Compilation (electron-vite build)… / Building (electron-vite build)…');
  run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
}

/**
 * better-sqlite3 must match Electron's ABI. The marker records the Electron version and the .node file it was built
 * into, so an `npm rebuild better-sqlite3` for the Node tests is noticed and undone before the next launch.
 */
function ensureNativeModulesForElectron() {
  const nativeFile = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  const markerFile = join(root, 'node_modules', '.cache', 'educonnect-desk', 'electron-native.json');
  const fingerprint = () => {
    const info = existsSync(nativeFile) ? statSync(nativeFile) : null;
    return JSON.stringify({ electron: electronVersion(), size: info?.size ?? 0, mtimeMs: info?.mtimeMs ?? 0 });
  };
  if (existsSync(markerFile) && readFileSync(markerFile, 'utf8') === fingerprint()) return;
  console.log(
    'Recompilation de better-sqlite3 pour Electron (Internet requis) / Rebuilding better-sqlite3 for Electron (needs internet)…',
  );
  run(process.execPath, [join(root, 'node_modules', 'electron-builder', 'install-app-deps.js')]);
  mkdirSync(dirname(markerFile), { recursive: true });
  writeFileSync(markerFile, fingerprint());
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Where the browser host keeps its data, following each platform's convention. */
function browserDataDir() {
  if (process.platform === 'win32') {
    return join(process.env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'EduConnect Desk');
  }
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'EduConnect Desk');
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'educonnect-desk');
}

/** Runs the child in the foreground: signals are passed on and its exit code becomes ours. */
function foreground(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('error', (error) => {
    console.error(`Impossible de lancer ${command} / cannot start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1)));
}

function startElectron(binary) {
  buildIfNeeded();
  ensureNativeModulesForElectron();
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  if (options.data) env.EDUCONNECT_DESK_DATA_DIR = resolve(options.data);
  foreground(binary, [root, '--directory', options.directory], env);
}

function startBrowserHost() {
  const cli = join(root, 'electron', 'host', 'cli.ts');
  if (!existsSync(cli)) {
    console.error(`Hôte navigateur introuvable / browser host not found: ${cli}`);
    process.exit(1);
  }
  const dataDir = options.data ? resolve(options.data) : browserDataDir();
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  foreground(process.execPath, [tsx, cli, '--port', '0', '--data', dataDir, '--directory', options.directory, '--open']);
}

const binary = options.browser ? null : (installedElectron() ?? tryInstallElectron());
if (binary) {
  startElectron(binary);
} else {
  if (!options.browser) {
    console.log(
      "Electron n'est pas installé sur cette machine (téléchargement impossible) : lancement de la version navigateur. / Electron is not installed on this machine (download failed): starting the browser version.",
    );
  }
  startBrowserHost();
}
