// `npm run directory -- --json` as a child process: one JSON line on stdout, a working server, clean exit on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { AdminTotals } from '../../shared/directory/wire';

const tsx = resolve('node_modules/.bin/tsx');

describe('demo directory CLI', () => {
  it('prints one JSON line, serves the API and shuts down cleanly on SIGTERM', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'demo-directory-cli-'));
    const data = join(tmp, 'directory.db');
    const child = spawn(tsx, ['electron/demo-directory/cli.ts', '--json', '--data', data, '--seed', '4', '--establishments', '2', '--pupils', '60'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string>((res) => lines.once('line', res));
      const info = JSON.parse(first) as { url: string; adminToken: string; establishments: string[]; operators: Array<{ login: string; password: string; role: string; uais: string[] }> };
      expect(Object.keys(info)).toEqual(['url', 'adminToken', 'establishments', 'operators']);
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.establishments).toHaveLength(2);
      expect(info.operators.map((o) => o.role)).toEqual(expect.arrayContaining(['chef', 'delegue', 'secretariat']));
      const totals = await fetch(`${info.url}/admin/totals?uai=${info.establishments[0]}`, { headers: { Authorization: `Bearer ${info.adminToken}` } });
      expect(AdminTotals.parse(await totals.json()).pupils).toBe(60);

      const extra: string[] = [];
      lines.on('line', (l) => extra.push(l));
      const exit = new Promise<number | null>((res) => child.once('exit', res));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      expect(extra).toEqual([]);
      expect(existsSync(data)).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
