import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { chromiumArgs, findChromium } from '../../e2e/chromium';
import { startHostProcess, projectRoot } from '../../helpers/host-process';
import { tempDir } from '../../helpers/temp';
import { median, type Measurement, type Suite } from '../harness';

const RUNS = 5;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Milliseconds from spawning `node args` to the first 200 on http://127.0.0.1:port/healthz. */
async function coldStart(args: string[], port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 30_000) throw new Error(`no /healthz after 30 s: ${args.join(' ')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** The floor: a bare Node HTTP server answering on loopback. */
const rawServer = (port: number) => [
  '-e',
  `require('node:http').createServer((q,s)=>s.end('{}')).listen(${port},'127.0.0.1')`,
];

async function hostColdStart(dataDir: string): Promise<Measurement> {
  const host: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort();
    host.push(await coldStart(['--import', 'tsx', 'electron/host/cli.ts', '--port', String(port), '--data', dataDir], port));
    const rawPort = await freePort();
    raw.push(await coldStart(rawServer(rawPort), rawPort));
  }
  const value = median(host);
  return {
    suite: 'foundation',
    metric: `host cold start to /healthz 200 (median of ${RUNS})`,
    value,
    unit: 'ms',
    baseline: median(raw),
    goal: '< 1000 ms',
    met: value < 1000,
  };
}

async function firstRender(dataDir: string): Promise<Measurement> {
  const running = await startHostProcess(['--port', '0', '--data', dataDir]);
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
  try {
    const renders: number[] = [];
    const blanks: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      let t = performance.now();
      await page.goto(`${running.url}/#token=${running.token}`);
      // The first screen a user sees: the sign-in page on a fresh profile.
      await page.getByRole('heading', { level: 1 }).waitFor();
      renders.push(performance.now() - t);
      t = performance.now();
      await page.goto(`${running.url}/healthz`);
      blanks.push(performance.now() - t);
      await context.close();
    }
    const value = median(renders);
    return {
      suite: 'foundation',
      metric: `first render in Chromium, fresh profile (median of ${RUNS})`,
      value,
      unit: 'ms',
      baseline: median(blanks),
      goal: '< 1500 ms',
      met: value < 1500,
    };
  } finally {
    await browser.close();
    await running.stop();
  }
}

function bundleSize(): Measurement[] {
  const assets = join(projectRoot, 'out', 'renderer', 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const rawBytes = js.reduce((sum, f) => sum + statSync(join(assets, f)).size, 0);
  const gzBytes = js.reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0);
  return [
    { suite: 'foundation', metric: 'renderer JS bundle (raw)', value: rawBytes / 1024, unit: 'KiB' },
    { suite: 'foundation', metric: 'renderer JS bundle (gzip)', value: gzBytes / 1024, unit: 'KiB' },
  ];
}

export const foundation: Suite = {
  name: 'foundation',
  async run() {
    const data = tempDir('ecd-bench-');
    try {
      return [await hostColdStart(data.path), await firstRender(data.path), ...bundleSize()];
    } finally {
      data.remove();
    }
  },
};
