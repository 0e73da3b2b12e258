/**
 * The permission matrix: EVERY contract method (iterated over `contract`, so methods added later are covered) called
 * through the real dispatcher of a real core as nobody, chef, secrétariat, délégué without delegation and délégué with
 * a full delegation, against a real demo directory over HTTP. Allowed = anything but UNAUTHORIZED/FORBIDDEN.
 *
 * The expectation table below is written out by hand from the issue, independently of electron/core/auth.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCore, type Core } from '../../electron/core';
import type { CallContext } from '../../electron/core/dispatcher';
import { contract, type MethodName, type MethodSpec, type Permission } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator, startDirectory } from './sync-helpers';

const ALL: Permission[] = ['public', 'read', 'pupilAccounts', 'guardianAccounts', 'accountActions', 'write', 'letters', 'statistics', 'exports', 'identityDecisions', 'administration'];
const EXPECTED: Record<string, Permission[]> = {
  nobody: ['public'],
  chef: ALL,
  secretariat: ['public', 'read', 'statistics', 'exports'],
  delegueWithout: ['public', 'read'],
  delegueFull: ['public', 'read', 'pupilAccounts', 'guardianAccounts', 'accountActions', 'write', 'letters', 'statistics', 'exports', 'identityDecisions'],
};

/** Methods whose real call would end or change the session under test: checked through the authorizer itself. */
const SESSION_METHODS = new Set<string>(['auth.signIn', 'auth.signOut', 'auth.lock', 'auth.unlock']);
/** Methods for which no valid input could be built (reported, and kept to a handful). */
const withoutInput = new Set<string>();

let directory: DemoDirectory;
let core: Core;
const data = tempDir('ecd-perm-');
let uai: string;

beforeAll(async () => {
  directory = await startDirectory({ establishments: 1, pupils: 30 });
  core = createCore({
    dataDir: data.path,
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, log: () => undefined, probeMs: 100 },
    auth: { failureDelayMs: 0 },
  });
  uai = operator(directory, 'chef.demo').uais[0]!;
});

afterAll(async () => {
  await core.shutdown();
  await directory.close();
  data.remove();
});

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minItems?: number;
  minLength?: number;
  anyOf?: JsonSchema[];
  const?: unknown;
};

/** A minimal value satisfying a JSON schema, with this establishment's UAI and an unknown id where those appear. */
function sample(schema: JsonSchema, key = '', full = false): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(schema.anyOf[0]!, key, full);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (key === 'uai') return uai;
  if (key === 'path') return join(data.path, 'export.xlsx');
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const keys = full ? Object.keys(schema.properties ?? {}) : (schema.required ?? []);
      for (const k of keys) out[k] = sample(schema.properties?.[k] ?? {}, k, full);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items ?? {}, key, full));
    case 'integer':
    case 'number':
      return 999_999;
    case 'boolean':
      return false;
    case 'string':
      if (key.toLowerCase().includes('date') || key === 'from' || key === 'to' || key === 'endsOn') return '2099-01-01';
      return 'inconnu'.padEnd(schema.minLength ?? 1, '-');
    default:
      return null;
  }
}

function inputsFor(spec: MethodSpec): unknown[] {
  const candidates: unknown[] = [];
  try {
    const schema = z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    candidates.push(sample(schema), sample(schema, '', true));
  } catch {
    // a schema JSON Schema cannot express: fall back to the usual shapes
  }
  candidates.push({}, { uai }, { id: 999_999 }, { uai, id: 999_999 });
  return candidates.filter((c) => spec.input.safeParse(c).success);
}

/**
 * 'refused' when the dispatcher's authorizer refuses; a refusal from the handler itself, after the authorizer let the
 * call through, is a finer check (e.g. an account action needs pupilAccounts or guardianAccounts depending on its
 * target): it is reported with the permission it asked for, so the matrix can check the role really lacks it.
 */
type Outcome = 'allowed' | 'refused' | { finer: Permission };

function authorizerAllows(method: MethodName): boolean {
  const ctx: CallContext = { transport: 'internal', operator: core.governance.auth.contextOperator(), audit: () => undefined };
  try {
    core.governance.authorize(method, contract[method], ctx);
    return true;
  } catch (error) {
    if (error instanceof ApiError && ['UNAUTHORIZED', 'FORBIDDEN'].includes(error.code)) return false;
    throw error;
  }
}

async function outcome(method: MethodName): Promise<Outcome> {
  const spec: MethodSpec = contract[method];
  const inputs = inputsFor(spec);
  if (SESSION_METHODS.has(method) || inputs.length === 0) {
    if (!SESSION_METHODS.has(method)) withoutInput.add(method);
    // No valid input could be built (or calling would end the session): ask the dispatcher's authorizer directly.
    return authorizerAllows(method) ? 'allowed' : 'refused';
  }
  try {
    await core.dispatcher.invoke(method, inputs[0], { transport: 'internal' });
    return 'allowed';
  } catch (error) {
    if (!(error instanceof ApiError) || !['UNAUTHORIZED', 'FORBIDDEN'].includes(error.code)) return 'allowed';
    if (!authorizerAllows(method)) return 'refused';
    const finer = (error.details as { permission?: Permission } | undefined)?.permission;
    return finer ? { finer } : 'refused';
  }
}

async function matrix(role: keyof typeof EXPECTED): Promise<void> {
  const methods = Object.keys(contract) as MethodName[];
  expect(methods.length).toBeGreaterThan(20);
  const wrong: string[] = [];
  for (const method of methods) {
    const expected = EXPECTED[role]!.includes(contract[method].permission) ? 'allowed' : 'refused';
    const actual = await outcome(method);
    if (typeof actual === 'object') {
      // Let through by the authorizer, refused by the handler's finer check: right only if the role lacks that right.
      if (expected !== 'allowed' || EXPECTED[role]!.includes(actual.finer)) {
        wrong.push(`${method} (${contract[method].permission}): refused by the handler for ${actual.finer}`);
      }
    } else if (actual !== expected) {
      wrong.push(`${method} (${contract[method].permission}): expected ${expected}, got ${actual}`);
    }
  }
  expect(wrong).toEqual([]);
  // Nearly every method really goes through the dispatcher (a growing list here means the input builder needs help;
  // the few it cannot feed, e.g. inputs with cross-field rules, are still checked through the authorizer).
  expect(withoutInput.size, [...withoutInput].join(', ')).toBeLessThanOrEqual(3);
}

async function signInAs(login: string): Promise<void> {
  core.governance.auth.signOut();
  await core.governance.auth.signIn(login, operator(directory, login).password);
}

describe('permission matrix over every contract method', () => {
  it('nobody signed in: public methods only', { timeout: 120_000 }, async () => {
    await matrix('nobody');
  });

  it('secrétariat: read, statistics, exports', { timeout: 120_000 }, async () => {
    await signInAs('secretariat.demo');
    await matrix('secretariat');
  });

  it('délégué without delegation: read only', { timeout: 120_000 }, async () => {
    await signInAs('delegue.demo');
    await matrix('delegueWithout');
  });

  it('chef: everything', { timeout: 120_000 }, async () => {
    await signInAs('chef.demo');
    await matrix('chef');
  });

  it('délégué with every delegable right: all but administration; revoked or expired, read only again', { timeout: 120_000 }, async () => {
    await signInAs('chef.demo');
    const granted = await core.dispatcher.call(
      'delegations.grant',
      { uai, login: 'delegue.demo', rights: ['pupilAccounts', 'guardianAccounts', 'letters', 'statistics', 'exports', 'identityDecisions'] },
      { transport: 'internal' },
    );
    await signInAs('delegue.demo');
    await matrix('delegueFull');

    // Expired: pushed into the past by hand (the API refuses past end dates), then read only again.
    core.db.prepare("UPDATE delegations SET ends_on = '2000-01-01' WHERE id = ?").run(granted.id);
    await matrix('delegueWithout');
  });

  it('a locked session answers public methods only', { timeout: 120_000 }, async () => {
    await signInAs('chef.demo');
    await core.dispatcher.call('auth.lock', {}, { transport: 'internal' });
    await matrix('nobody');
    const refused = await core.dispatcher.call('settings.get', { uai }, { transport: 'internal' }).catch((e: unknown) => e);
    expect((refused as ApiError).message).toMatch(/verrouillée/);
    await core.dispatcher.call('auth.unlock', { password: operator(directory, 'chef.demo').password }, { transport: 'internal' });
    await matrix('chef');
  });
});
