/**
 * The permission matrix: EVERY contract method (iterated over `contract`, so methods added later are covered) × every
 * role, through the real dispatcher of a real core against a real demo directory over HTTP with two establishments,
 * A and B. Each operator holds both, with different rights where the role allows it: the délégué has identity
 * decisions, guardian accounts and exports delegated on A, nothing on B. A method is called on A and on B as its scope
 * finds the establishment: the UAI of its input, or a real record of that establishment (a review item, an outbox item,
 * a delegation, a running job, an import preview). Allowed = anything but UNAUTHORIZED/FORBIDDEN.
 *
 * The expectation table is written out by hand from the issue, independently of electron/core/auth.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCore, type Core } from '../../electron/core';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { enqueue } from '../../electron/core/directory/outbox';
import { contract, type MethodName, type MethodSpec, type Permission } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { tempDir } from '../helpers/temp';
import { elevesXml, fromDemoDirectory, latin9 } from '../helpers/siecle';
import { FAST_RETRY, operator, startDirectory } from './sync-helpers';

type Side = 'A' | 'B';
type Rights = Record<Side, readonly Permission[]>;

const ALL: Permission[] = ['public', 'read', 'pupilAccounts', 'guardianAccounts', 'accountActions', 'write', 'letters', 'statistics', 'exports', 'identityDecisions', 'administration'];
const SECRETARIAT: Permission[] = ['public', 'read', 'statistics', 'exports'];
const NOBODY: Rights = { A: ['public'], B: ['public'] };
const EXPECTED: Record<string, Rights> = {
  nobody: NOBODY,
  chef: { A: ALL, B: ALL },
  secretariat: { A: SECRETARIAT, B: SECRETARIAT },
  // Delegated on A: identityDecisions, guardianAccounts, exports, letters (hence write and the guardian side of
  // accountActions): guardians' letters on A, not pupils' (letters.issue needs letters AND the kind's right).
  delegue: { A: ['public', 'read', 'guardianAccounts', 'accountActions', 'write', 'letters', 'exports', 'identityDecisions'], B: ['public', 'read'] },
  delegueWithout: { A: ['public', 'read'], B: ['public', 'read'] },
};

/** Methods whose real call would end or change the session under test: they must be public, and are not called. */
const SESSION_METHODS = new Set<string>(['auth.signIn', 'auth.signOut', 'auth.lock', 'auth.unlock']);

let directory: DemoDirectory;
let core: Core;
const data = tempDir('ecd-perm-');
const uai = {} as Record<Side, string>;
const record = {} as Record<Side, { reviewItem: number; outboxItem: number; delegation: number; job: string; importPreview: string }>;
const withoutInput = new Set<string>();

beforeAll(async () => {
  directory = await startDirectory({ establishments: 2, pupils: 30 });
  [uai.A, uai.B] = directory.establishments.map((e) => e.uai) as [string, string];
  directory.store.insertOperator({ login: 'delegue.deux', password: 'deux-delegue', displayName: 'Délégué de deux établissements', role: 'delegue', uais: [uai.A, uai.B] });
  directory.store.insertOperator({ login: 'secretariat.deux', password: 'deux-secretariat', displayName: 'Secrétariat de deux établissements', role: 'secretariat', uais: [uai.A, uai.B] });
  // One FranceConnect change per establishment, so that each has a review item.
  directory.store.transaction(() => {
    for (const side of ['A', 'B'] as const) {
      const guardian = directory.store.liveRows(uai[side], 'guardian')[0]!;
      directory.store.put(uai[side], 'identityChange', `chg-perm-${side}`, {
        uai: uai[side], personKind: 'guardian', personId: guardian.id, field: 'firstName', previousValue: guardian.data.firstName,
        newValue: guardian.data.firstName.toUpperCase(), source: 'franceconnect', detectedAt: '2025-09-20T08:00:00Z', status: 'open',
      });
    }
  });
  core = createCore({
    dataDir: data.path,
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, log: () => undefined, probeMs: 100 },
    auth: { failureDelayMs: 0 },
  });
  // The head of both establishments syncs them and delegates on A; a delegation of B exists too (revoked).
  await signInAs('multi.demo');
  await call('sync.run', {});
  for (const side of ['A', 'B'] as const) await core.review.ingest(uai[side]);
  await core.directory.scheduler.whenIdle();
  await call('delegations.grant', { uai: uai.A, login: 'delegue.deux', rights: ['identityDecisions', 'guardianAccounts', 'exports', 'letters'] });
  const onB = await call<{ id: number }>('delegations.grant', { uai: uai.B, login: 'delegue.deux', rights: ['pupilAccounts'] });
  await call('delegations.revoke', { id: onB.id });
  for (const side of ['A', 'B'] as const) {
    const account = core.db.prepare('SELECT id, version FROM dir_accounts WHERE uai = ? AND deleted = 0 LIMIT 1').get(uai[side]) as { id: string; version: number };
    const outbox = core.db.transaction(() =>
      enqueue(core.db, { uai: uai[side], request: { kind: 'account.unlock', targetId: account.id, payload: {} }, ifMatch: account.version }),
    )();
    const job = core.jobs.start({ id: `perm-${side}`, kind: 'sync', uai: uai[side], label: 'test' });
    // An import preview of the establishment's own SIECLE export (the pupils' file is enough).
    const export_ = join(data.path, `ElevesSansAdresses-${side}.xml`);
    writeFileSync(export_, latin9(elevesXml({ uai: uai[side] }, fromDemoDirectory(directory.store, uai[side]).pupils)));
    const preview = await call<{ previewId: string }>('imports.preview', { uai: uai[side], files: [export_] });
    record[side] = {
      reviewItem: core.db.prepare('SELECT id FROM review_items WHERE uai = ? ORDER BY id LIMIT 1').pluck().get(uai[side]) as number,
      outboxItem: outbox.id,
      delegation: core.db.prepare('SELECT id FROM delegations WHERE uai = ? ORDER BY id LIMIT 1').pluck().get(uai[side]) as number,
      job: job.id,
      importPreview: preview.previewId,
    };
    expect(Object.values(record[side]).every((v) => v !== undefined)).toBe(true);
  }
});

afterAll(async () => {
  await core.shutdown();
  await directory.close();
  data.remove();
});

function call<T = unknown>(method: MethodName, input: unknown): Promise<T> {
  return core.dispatcher.invoke(method, input, { transport: 'internal' }) as Promise<T>;
}

async function signInAs(login: string): Promise<void> {
  core.governance.auth.signOut();
  const known = directory.store.operators().find((o) => o.login === login)!;
  await core.governance.auth.signIn(login, known.password);
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minItems?: number;
  minLength?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  const?: unknown;
};

/** A minimal value satisfying a JSON schema, aimed at one establishment: its UAI and its records where those appear. */
function sample(spec: MethodSpec, side: Side, schema: JsonSchema, key = '', full = false): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(spec, side, schema.anyOf[0]!, key, full);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const own = spec.scope.by === 'record' ? record[side][spec.scope.record] : undefined;
  if (key === 'uai') return uai[side];
  if ((key === 'id' || key === 'jobId' || key === 'previewId') && own !== undefined) return own;
  if (key === 'ids' && own !== undefined) return [own];
  if (key === 'path') return join(data.path, `export-${side}.xlsx`);
  if (key === 'pageSize') return 50;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const keys = full ? Object.keys(schema.properties ?? {}) : (schema.required ?? []);
      for (const k of keys) out[k] = sample(spec, side, schema.properties?.[k] ?? {}, k, full);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(spec, side, schema.items ?? {}, key, full));
    case 'integer':
    case 'number':
      // Large (an unknown record id), within the schema's bounds (a fraction, a percentage).
      return Math.min(999_999, schema.maximum ?? Infinity);
    case 'boolean':
      return false;
    case 'string':
      if (key.toLowerCase().includes('date') || key === 'from' || key === 'to' || key === 'endsOn') return '2099-01-01';
      return 'inconnu'.padEnd(schema.minLength ?? 1, '-');
    default:
      return null;
  }
}

/** Valid inputs aimed at one establishment; for an account action, one per kind of account. */
function inputsFor(spec: MethodSpec, side: Side): unknown[] {
  const schema = z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const full = sample(spec, side, schema, '', true) as Record<string, unknown>;
  // Required fields only, every field, and every field but one (inputs where exactly one of two fields is given).
  const candidates = [sample(spec, side, schema), full, ...Object.keys(full).map((k) => Object.fromEntries(Object.entries(full).filter(([key]) => key !== k)))];
  const valid = candidates.filter((c) => spec.input.safeParse(c).success);
  const first = valid[0];
  if (first === undefined) return [];
  if (spec.scope.by === 'input' && (spec.scope.kind || spec.scope.also)) {
    return (['pupil', 'guardian'] as const).map((kind) => ({ ...(first as object), kind }));
  }
  return [first];
}

/** The methods that need, besides their own permission, the right on the kind of account their input names. */
const KIND_RIGHT_TOO = new Set<string>(['letters.issue']);

/**
 * What the call needs on `side`, as the issues state it: an account action needs the right on its target's kind; a
 * credential letter batch needs `letters` and the right on the kind of accounts whose passwords it renews.
 */
function needs(method: string, spec: MethodSpec, input: unknown): Permission[] {
  const kindRight: Permission = (input as { kind?: string }).kind === 'pupil' ? 'pupilAccounts' : 'guardianAccounts';
  if (spec.permission === 'accountActions') return [kindRight];
  return KIND_RIGHT_TOO.has(method) ? [spec.permission, kindRight] : [spec.permission];
}

async function allowed(method: MethodName, input: unknown): Promise<boolean> {
  try {
    await call(method, input);
    return true;
  } catch (error) {
    return !(error instanceof ApiError && ['UNAUTHORIZED', 'FORBIDDEN'].includes(error.code));
  }
}

async function matrix(role: keyof typeof EXPECTED): Promise<void> {
  const rights = EXPECTED[role]!;
  const methods = Object.keys(contract) as MethodName[];
  expect(methods.length).toBeGreaterThan(20);
  // The hand-written list above covers every method whose scope adds the kind's right.
  expect(methods.filter((m) => contract[m].scope.by === 'input' && 'also' in contract[m].scope && contract[m].scope.also)).toEqual([...KIND_RIGHT_TOO]);
  const wrong: string[] = [];
  for (const method of methods) {
    const spec: MethodSpec = contract[method];
    if (SESSION_METHODS.has(method)) {
      if (spec.permission !== 'public') wrong.push(`${method}: a session method must be public`);
      continue;
    }
    for (const side of ['A', 'B'] as const) {
      const inputs = inputsFor(spec, side);
      if (inputs.length === 0) withoutInput.add(method);
      for (const input of inputs) {
        const permissions = needs(method, spec, input);
        const holdsAll = (s: Side) => permissions.every((p) => rights[s].includes(p));
        // Operator-wide calls (no establishment named) need the rights on at least one establishment.
        const named = spec.scope.by !== 'operator' && !(spec.scope.by === 'input' && spec.scope.uai(input as never) === undefined);
        const expected = named ? holdsAll(side) : holdsAll('A') || holdsAll('B');
        const actual = await allowed(method, input);
        if (actual !== expected) wrong.push(`${method} on ${side} (${permissions.join(' + ')}) ${JSON.stringify(input)}: expected ${expected ? 'allowed' : 'refused'}`);
      }
    }
  }
  expect(wrong).toEqual([]);
  // Nearly every method really goes through the dispatcher (a growing list here means the input builder needs help).
  expect([...withoutInput]).toEqual([]);
}

describe('permission matrix over every contract method, on two establishments', () => {
  it('nobody signed in: public methods only', { timeout: 180_000 }, async () => {
    core.governance.auth.signOut();
    await matrix('nobody');
  });

  it('secrétariat of both: read, statistics, exports on each', { timeout: 180_000 }, async () => {
    await signInAs('secretariat.deux');
    await matrix('secretariat');
  });

  it('délégué of both, with rights delegated on A only: A as delegated, B read only', { timeout: 180_000 }, async () => {
    await signInAs('delegue.deux');
    await matrix('delegue');
  });

  it('délégué whose delegation expired: read only again', { timeout: 180_000 }, async () => {
    // Pushed into the past by hand (the API refuses past end dates).
    core.db.prepare("UPDATE delegations SET ends_on = '2000-01-01' WHERE uai = ? AND login = 'delegue.deux'").run(uai.A);
    await signInAs('delegue.deux');
    await matrix('delegueWithout');
  });

  it('chef of both: everything on each', { timeout: 180_000 }, async () => {
    await signInAs('multi.demo');
    await matrix('chef');
  });

  it('a locked session answers public methods only', { timeout: 180_000 }, async () => {
    await signInAs('multi.demo');
    await call('auth.lock', {});
    await matrix('nobody');
    const refused = await call('settings.get', { uai: uai.A }).catch((e: unknown) => e);
    expect((refused as ApiError).message).toMatch(/verrouillée/);
    await call('auth.unlock', { password: operator(directory, 'multi.demo').password });
  });
});
