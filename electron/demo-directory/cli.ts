/**
 * `npm run directory -- [--port N] [--data FILE] [--seed N] [--establishments N] [--pupils N] [--faults SPEC]
 *   [--token-ttl SECONDS] [--today YYYY-MM-DD] [--json]`
 * Starts the demo directory on 127.0.0.1. With --json, prints exactly one stdout line:
 * {"url","adminToken","establishments":[UAI…],"operators":[{"login","password","role","uais"}]}.
 */
import { parseArgs } from 'node:util';
import { createDemoDirectory } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    data: { type: 'string' },
    seed: { type: 'string' },
    establishments: { type: 'string' },
    pupils: { type: 'string' },
    faults: { type: 'string' },
    'token-ttl': { type: 'string' },
    today: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  strict: true,
});

function int(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number`);
    process.exit(2);
  }
  return n;
}

const startedAt = Date.now();
const directory = await createDemoDirectory({
  dataFile: values.data,
  memory: values.data === undefined,
  seed: int('seed', values.seed),
  establishments: int('establishments', values.establishments),
  pupils: int('pupils', values.pupils),
  faults: values.faults,
  tokenTtl: int('token-ttl', values['token-ttl']),
  today: values.today,
  port: int('port', values.port),
});

const summary = {
  url: directory.url,
  adminToken: directory.adminToken,
  establishments: directory.establishments.map((e) => e.uai),
  operators: directory.operators.map((o) => ({ login: o.login, password: o.password, role: o.role, uais: o.uais })),
};
if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
else {
  console.log(`Demo directory listening on ${directory.url} (ready in ${Date.now() - startedAt} ms)`);
  console.log(`Admin token: ${directory.adminToken}`);
  for (const e of directory.establishments) console.log(`  ${e.uai}  ${e.name} (${e.city})`);
  for (const o of summary.operators) console.log(`  operator ${o.login} / ${o.password}  role=${o.role}  uais=${o.uais.join(',')}`);
}

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  if (!values.json) console.log(`${signal}: closing the demo directory`);
  directory.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
