/**
 * The measuring process of the imports bench (see imports.ts): bare saxes passes and readings of the export
 * alternated (medians), then one preview and one application through the service, and this process's peak RSS.
 *   tsx test/bench/suites/imports-child.ts <dataDir> <uai> <file…>
 */
import { createReadStream } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SaxesParser } from 'saxes';
import { openDatabase } from '../../../electron/core/db/database';
import type { CallContext } from '../../../electron/core/dispatcher';
import { EventBus } from '../../../electron/core/events';
import { readSchoolBase } from '../../../electron/core/imports/read';
import { ImportsService } from '../../../electron/core/imports/service';
import { JobRegistry } from '../../../electron/core/jobs';
import { median } from '../harness';
import type { ChildResult } from './imports';

const [dataDir, uai, ...files] = process.argv.slice(2) as [string, string, ...string[]];

/** What any program reading these files must at least do: read, decode ISO-8859-15, parse, with no handler. */
async function bare(): Promise<number> {
  let bytes = 0;
  for (const file of files) {
    const parser = new SaxesParser({ position: true });
    const decoder = new TextDecoder('iso-8859-15');
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      bytes += (chunk as Buffer).length;
      parser.write(decoder.decode(chunk as Buffer));
    }
    parser.close();
  }
  return bytes;
}

const time = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

const { db } = openDatabase(dataDir);
const events = new EventBus();
const service = new ImportsService({ db, events, jobs: new JobRegistry(events), log: () => undefined });
const handlers = service.handlers();
const ctx: CallContext = { transport: 'internal', operator: null, uais: [uai], audit: () => undefined };

// The preview first, in a fresh process: its peak memory is its own.
let previewId = '';
const previewMs = await time(async () => {
  previewId = (await handlers['imports.preview']({ uai, files }, ctx)).previewId;
});
const maxRssMb = process.resourceUsage().maxRSS / 1024;

// Then bare passes and readings alternated, after one of each to warm up.
const bytes = await bare();
await readSchoolBase(files, { uai, mapping: null });
const bareRuns: number[] = [];
const parseRuns: number[] = [];
for (let round = 0; round < 5; round++) {
  bareRuns.push(await time(bare));
  parseRuns.push(await time(() => readSchoolBase(files, { uai, mapping: null })));
}

// The application is one synchronous transaction: the event loop waits for it (measured by a timer that cannot fire).
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
await new Promise((resolve) => setTimeout(resolve, 20));
let result = { reviewItems: 0, counts: { pupils: 0, guardians: 0 } };
const applyMs = await time(async () => {
  result = await handlers['imports.apply']({ previewId }, ctx);
});
await new Promise((resolve) => setTimeout(resolve, 20));
loop.disable();
db.close();

// Last (forced collections shrink the young generation, which slowed the passes measured after them fivefold): how
// much memory the school base read from the export holds (the process runs with --expose-gc).
const baseHeapMb = await (async () => {
  const collect = (globalThis as { gc?: () => void }).gc!;
  collect();
  const before = process.memoryUsage().heapUsed;
  const held = await readSchoolBase(files, { uai, mapping: null });
  collect();
  const mb = (process.memoryUsage().heapUsed - before) / 1e6;
  return held.pupils.length > 0 ? mb : Number.NaN;
})();

const out: ChildResult = {
  bytes,
  bareMs: median(bareRuns),
  parseMs: median(parseRuns),
  previewMs,
  applyMs,
  applyBlockMs: loop.max / 1e6,
  maxRssMb,
  baseHeapMb,
  persons: result.counts.pupils + result.counts.guardians,
  reviewItems: result.reviewItems,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
