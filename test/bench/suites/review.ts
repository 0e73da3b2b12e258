/**
 * The review queue at scale: 10,000 pending items (5,000 guardians, two changed fields each) ingested from the mirror,
 * then paged 50 at a time through the service handlers, as the "À examiner" page does. Goal: a page in ≤ 20 ms (p95).
 */
import { openDatabase } from '../../../electron/core/db/database';
import { Mirror } from '../../../electron/core/directory/mirror';
import { EventBus } from '../../../electron/core/events';
import { JobRegistry } from '../../../electron/core/jobs';
import type { CallContext } from '../../../electron/core/dispatcher';
import { ReviewService } from '../../../electron/core/review/service';
import { tempDir } from '../../helpers/temp';
import { percentile, type Measurement, type Suite } from '../harness';

const UAI = '0310877K';
const GUARDIANS = 5_000;

const ctx: CallContext = { transport: 'internal', operator: null, uais: [UAI], audit: () => undefined };

export const review: Suite = {
  name: 'review',
  async run(): Promise<Measurement[]> {
    const dir = tempDir('ecd-bench-review-');
    const { db } = openDatabase(dir.path);
    try {
      const mirror = new Mirror(db);
      db.transaction(() => {
        for (let i = 0; i < GUARDIANS; i++) {
          const id = `res-${UAI}-${String(i).padStart(6, '0')}`;
          const firstName = i % 2 ? 'Hélène' : 'Jean-Marie';
          mirror.write(UAI, {
            type: 'guardian',
            id,
            version: 1,
            seq: null,
            data: JSON.stringify({ uai: UAI, civility: 'Mme', lastName: `NOM${i}`, usageName: null, firstName, birthDate: null, email: `p${i}@example.fr`, mobile: null, phoneHome: null, phoneWork: null, address: null }),
          });
          for (const [n, field, previousValue, newValue] of [
            [0, 'firstName', firstName, firstName.toUpperCase()],
            [1, 'email', `p${i}@example.fr`, `nouveau${i}@example.fr`],
          ] as const) {
            mirror.write(UAI, {
              type: 'identityChange',
              id: `chg-${UAI}-${String(i * 2 + n).padStart(6, '0')}`,
              version: 1,
              seq: null,
              data: JSON.stringify({ uai: UAI, personKind: 'guardian', personId: id, field, previousValue, newValue, source: n ? 'self_service' : 'franceconnect', detectedAt: '2025-10-01T08:00:00Z', status: 'open' }),
            });
          }
        }
      })();
      const events = new EventBus();
      const service = new ReviewService({ db, events, kick: () => undefined, log: () => undefined, jobs: new JobRegistry(events) });
      const started = performance.now();
      const ingested = await service.ingest(UAI);
      const ingestMs = performance.now() - started;
      if (ingested.newItems !== GUARDIANS * 2) throw new Error(`expected ${GUARDIANS * 2} items, got ${ingested.newItems}`);

      const list = service.handlers()['review.list'];
      const times: number[] = [];
      const filtered: number[] = [];
      for (let offset = 0; offset < GUARDIANS * 2; offset += 50) {
        const t0 = performance.now();
        await list({ uai: UAI, state: 'pending', offset, limit: 50 }, ctx);
        times.push(performance.now() - t0);
      }
      for (let offset = 0; offset < 2_000; offset += 50) {
        const t0 = performance.now();
        await list({ uai: UAI, state: 'pending', field: 'email', source: 'self_service', offset, limit: 50 }, ctx);
        filtered.push(performance.now() - t0);
      }
      const counts: number[] = [];
      for (let i = 0; i < 50; i++) {
        const t0 = performance.now();
        await service.handlers()['review.counts']({ uai: UAI }, ctx);
        counts.push(performance.now() - t0);
      }
      const p95 = percentile(times, 95);
      return [
        { suite: 'review', metric: 'ingest 10,000 changes', value: ingestMs, unit: 'ms' },
        { suite: 'review', metric: 'page of 50 in 10,000 pending (p95)', value: p95, unit: 'ms', goal: '≤ 20 ms', met: p95 <= 20 },
        { suite: 'review', metric: 'filtered page (p95)', value: percentile(filtered, 95), unit: 'ms', goal: '≤ 20 ms', met: percentile(filtered, 95) <= 20 },
        { suite: 'review', metric: 'counts (p95)', value: percentile(counts, 95), unit: 'ms' },
      ];
    } finally {
      db.close();
      dir.remove();
    }
  },
};
