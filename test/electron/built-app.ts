/**
 * The built app (electron-vite's output) for tests that inspect it: out/ when it is newer than every source, else a
 * fresh build into a temporary folder. The temporary build never rewrites out/, which `npm start` or another test may
 * be serving at the same time.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const SOURCES = ['electron', 'shared', 'renderer', 'electron.vite.config.ts', 'package.json'];
const OUTPUTS = ['main/index.js', 'preload/index.cjs', 'renderer/index.html'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry !== 'node_modules') newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when every output of `outDir` exists and is newer than every source file. */
export function isFreshBuild(outDir: string): boolean {
  const outputs = OUTPUTS.map((p) => join(outDir, p));
  if (!outputs.every((p) => existsSync(p))) return false;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  return built > Math.max(...SOURCES.map((p) => newestMtime(join(projectRoot, p))));
}

/** Runs `electron-vite build` into `outDir` (electron.vite.config.ts reads ECD_OUT_DIR). */
function build(outDir: string): Promise<void> {
  const cli = join(projectRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, 'build'], {
      cwd: projectRoot,
      env: { ...process.env, ECD_OUT_DIR: outDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`electron-vite build exited ${code}:\n${output}`))));
  });
}

/** The built app's folder, and how to clean up after it (nothing to remove when it is out/). */
export async function builtApp(): Promise<{ dir: string; fresh: 'out' | 'rebuilt'; remove(): void }> {
  const out = join(projectRoot, 'out');
  if (isFreshBuild(out)) return { dir: out, fresh: 'out', remove: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'ecd-build-'));
  try {
    await build(dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, fresh: 'rebuilt', remove: () => rmSync(dir, { recursive: true, force: true }) };
}
