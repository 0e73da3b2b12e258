/**
 * `npm run bench [suite…]`: runs the benchmark suites, prints one table and writes JSON under bench-results/.
 * Targets are measured against a raw baseline in the same run; nothing here is asserted by the test suite.
 *
 * Each suite runs in a child process of its own, so that its memory peaks and garbage-collector state do not depend
 * on which suites ran before it (run together in one process, the accounts export's peak RSS counted the sync's heap).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { report, type Measurement, type Suite } from './harness';
import { foundation } from './suites/foundation';
import { sync } from './suites/sync';
import { accounts } from './suites/accounts';
import { review } from './suites/review';
import { reviewKeyboard } from './suites/review-keyboard';
import { letters } from './suites/letters';
import { stats } from './suites/stats';
import { imports } from './suites/imports';

const suites: Suite[] = [foundation, sync, review, reviewKeyboard, accounts, letters, stats, imports];

/** argv of a child: `--suite <name>`; it prints its measurements as one JSON line after RESULT_TAG. */
const CHILD_FLAG = '--suite';
const RESULT_TAG = 'bench-results:';

function runInChild(name: string): Measurement[] {
  const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, CHILD_FLAG, name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT_TAG));
  if (child.status !== 0 || !line) throw new Error(`bench suite ${name} failed (${child.status ?? child.signal})`);
  return JSON.parse(line.slice(RESULT_TAG.length)) as Measurement[];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === CHILD_FLAG) {
    const suite = suites.find((s) => s.name === args[1]);
    if (!suite) throw new Error(`no bench suite ${args[1]}`);
    process.stdout.write(`${RESULT_TAG}${JSON.stringify(await suite.run())}\n`);
    return;
  }
  const unknown = args.filter((a) => !suites.some((s) => s.name === a));
  if (unknown.length > 0) throw new Error(`unknown bench suite(s): ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`);
  if (!existsSync('out/renderer/index.html')) {
    spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  }
  const results: Measurement[] = [];
  for (const suite of suites) {
    if (args.length > 0 && !args.includes(suite.name)) continue;
    process.stderr.write(`bench: ${suite.name}…\n`);
    results.push(...runInChild(suite.name));
  }
  const file = report(results);
  process.stderr.write(`bench: written ${file}\n`);
}

void main();
