import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/host-process';
import { tempDir } from '../helpers/temp';

/** True when an Electron binary is installed (then `npm start` would open the desktop app instead). */
function electronInstalled(): boolean {
  const pathFile = join(projectRoot, 'node_modules', 'electron', 'path.txt');
  return existsSync(pathFile) && existsSync(join(projectRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()));
}

describe('npm start without an Electron runtime', () => {
  it.skipIf(electronInstalled())('says so in one line and serves the app through the browser host', async () => {
    const data = tempDir();
    // BROWSER=true keeps xdg-open from launching anything on a developer's desktop.
    const child = spawn(process.execPath, ['scripts/start.mjs', '--data', data.path], {
      cwd: projectRoot,
      env: { ...process.env, BROWSER: 'true', DISPLAY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 90_000);
        child.stdout.on('data', () => {
          const match = /(http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)/.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const notice = out.split('\n').filter((line) => line.includes("Electron n'est pas installé"));
      expect(notice).toHaveLength(1);
      const parsed = new URL(url);
      const token = parsed.hash.replace('#token=', '');
      const res = await fetch(`${parsed.origin}/api/system.status`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { dataDir: string }).dataDir).toBe(data.path);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
      data.remove();
    }
  }, 120_000);
});
