import { describe, expect, it } from 'vitest';
import {
  Change,
  ChangesPage,
  DIRECTORY_PROTOCOL_VERSION,
  DirectoryErrorBody,
  DirectoryRecord,
  MUTATION_KINDS,
  MutationRequest,
  MutationResponse,
  mutationNeedsIfMatch,
  PasswordResetResponse,
} from '../../shared/directory/wire';

const link = { uai: '0750654D', guardianId: 'g1', pupilId: 'p1', level: 1, relationship: '10', financial: true, contact: true };

describe('directory wire types', () => {
  it('is protocol version 1', () => expect(DIRECTORY_PROTOCOL_VERSION).toBe(1));

  it('keeps unknown fields of records, data and pages (the server may add fields)', () => {
    const page = ChangesPage.parse({
      changes: [{ seq: 3, op: 'upsert', type: 'link', id: 'l1', version: 2, data: { ...link, since: '2026-09-01' }, origin: 'x' }],
      cursor: 'c',
      hasMore: false,
      serverTime: 'now',
    });
    expect(page).toMatchObject({ serverTime: 'now', changes: [{ origin: 'x', data: { since: '2026-09-01' } }] });
  });

  it('checks each record type’s data and tells upserts from tombstones', () => {
    expect(DirectoryRecord.safeParse({ type: 'link', id: 'l1', version: 1, data: { ...link, level: 4 } }).success).toBe(false);
    expect(DirectoryRecord.safeParse({ type: 'unknown', id: 'l1', version: 1, data: {} }).success).toBe(false);
    expect(Change.parse({ seq: 9, op: 'delete', type: 'link', id: 'l1', version: 3 })).toEqual({ seq: 9, op: 'delete', type: 'link', id: 'l1', version: 3 });
    expect(Change.safeParse({ seq: 9, op: 'upsert', type: 'link', id: 'l1', version: 3 }).success).toBe(false);
    expect(Change.safeParse({ seq: 0, op: 'delete', type: 'link', id: 'l1', version: 3 }).success).toBe(false);
  });

  it('types every mutation kind; only link.create goes without If-Match', () => {
    expect(MUTATION_KINDS).toHaveLength(9);
    expect(MUTATION_KINDS.filter((k) => !mutationNeedsIfMatch(k))).toEqual(['link.create']);
    expect(MutationRequest.parse({ kind: 'account.unlock', targetId: 'a1' })).toEqual({ kind: 'account.unlock', targetId: 'a1', payload: {} });
    expect(MutationRequest.safeParse({ kind: 'account.deactivate', targetId: 'a1', payload: { reason: ' ' } }).success).toBe(false);
    expect(MutationRequest.safeParse({ kind: 'contact.update', targetId: 'a1', payload: {} }).success).toBe(false);
    expect(MutationRequest.safeParse({ kind: 'settings.update', targetId: 's', payload: {} }).success).toBe(false);
  });

  it('requires a non-blank temporary password in the answer to a password reset, and only there', () => {
    const record = { type: 'link', id: 'l1', version: 2, data: link };
    expect(PasswordResetResponse.safeParse({ record, temporaryPassword: 'h7Kq2mZ9pW', extra: 1 })).toMatchObject({ success: true, data: { extra: 1 } });
    for (const temporaryPassword of [undefined, '', '   ']) {
      expect(PasswordResetResponse.safeParse({ record, temporaryPassword }).success, JSON.stringify(temporaryPassword)).toBe(false);
    }
    expect(MutationResponse.safeParse({ record }).success).toBe(true);
  });

  it('reads error bodies even with a code it does not know', () => {
    expect(DirectoryErrorBody.parse({ error: { code: 'NEW_CODE', message: 'x' } }).error.code).toBe('NEW_CODE');
  });
});
