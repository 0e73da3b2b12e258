/**
 * Settings. Per establishment, the directory's settings record (Scolarité services offered, direct communication with
 * families, letter header, help contact): changed locally and sent through the outbox (`settings.update`) in one
 * transaction. Per workstation, key/value rows of the `settings` table: sync interval (read by the scheduler),
 * inactivity delay, offline sign-in period, retention periods.
 */
import type { Database } from 'better-sqlite3';
import type { EstablishmentSettings, LocalSettings, SettingsView } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { SettingsData, type SettingsPatch } from '../../../shared/directory/wire';
import { enqueue } from '../directory/outbox';
import { governanceStrings as s } from './strings';

/** Defaults documented in docs/governance.md. */
export const LOCAL_DEFAULTS: LocalSettings = {
  syncIntervalMinutes: 15,
  inactivityMinutes: 10,
  offlineSignInDays: 30,
  auditRetentionDays: 365,
  pupilRetentionDays: 90,
};

const LOCAL_KEYS: Record<keyof LocalSettings, string> = {
  syncIntervalMinutes: 'sync.intervalMinutes',
  inactivityMinutes: 'session.inactivityMinutes',
  offlineSignInDays: 'session.offlineSignInDays',
  auditRetentionDays: 'retention.auditDays',
  pupilRetentionDays: 'retention.pupilDays',
};

export function readLocalSettings(db: Database): LocalSettings {
  const out = { ...LOCAL_DEFAULTS };
  const get = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  for (const [field, key] of Object.entries(LOCAL_KEYS) as [keyof LocalSettings, string][]) {
    const raw = get.get(key) as string | undefined;
    const value = raw === undefined ? NaN : Number(JSON.parse(raw));
    if (Number.isInteger(value) && value >= 0) out[field] = value;
  }
  return out;
}

export function writeLocalSettings(db: Database, patch: Partial<LocalSettings>): void {
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    for (const [field, value] of Object.entries(patch) as [keyof LocalSettings, number][]) put.run(LOCAL_KEYS[field], JSON.stringify(value));
  })();
}

interface SettingsRow {
  id: string;
  version: number;
  data: string;
}

function settingsRow(db: Database, uai: string): SettingsRow | undefined {
  return db
    .prepare('SELECT id, version, data FROM dir_establishment_settings WHERE uai = ? AND deleted = 0 ORDER BY id LIMIT 1')
    .get(uai) as SettingsRow | undefined;
}

function pick(data: SettingsData): EstablishmentSettings {
  return {
    services: data.services,
    directCommunication: data.directCommunication,
    letterHeader: data.letterHeader,
    helpContact: { address: data.helpContact.address, phone: data.helpContact.phone, hours: data.helpContact.hours },
  };
}

export function settingsView(db: Database, uai: string): SettingsView {
  const row = settingsRow(db, uai);
  const parsed = row ? SettingsData.safeParse(JSON.parse(row.data)) : null;
  const pending = db
    .prepare("SELECT COUNT(*) FROM outbox WHERE uai = ? AND kind = 'settings.update' AND state IN ('pending', 'in_flight')")
    .pluck()
    .get(uai) as number;
  const isPrivate = db.prepare('SELECT is_private FROM establishments WHERE uai = ?').pluck().get(uai) as number | undefined;
  return {
    uai,
    establishment: parsed?.success ? pick(parsed.data) : null,
    version: row?.version ?? null,
    pending: pending > 0,
    isPrivate: isPrivate === 1,
    local: readLocalSettings(db),
  };
}

/**
 * Applies the patch to the mirrored record (same version, so the directory's confirmed record replaces it) and queues
 * it, in one transaction. Returns the fields before and after, for the audit entry.
 */
export function updateEstablishmentSettings(
  db: Database,
  uai: string,
  patch: SettingsPatch,
): { before: Partial<EstablishmentSettings>; after: Partial<EstablishmentSettings>; targetId: string } {
  return db.transaction(() => {
    const row = settingsRow(db, uai);
    if (!row) throw new ApiError('NOT_FOUND', s.settingsNotSynced, { uai });
    const data = JSON.parse(row.data) as Record<string, unknown>;
    const before: Record<string, unknown> = {};
    for (const key of Object.keys(patch)) before[key] = data[key];
    db.prepare('UPDATE dir_establishment_settings SET data = ? WHERE id = ?').run(JSON.stringify({ ...data, ...patch }), row.id);
    enqueue(db, { uai, request: { kind: 'settings.update', targetId: row.id, payload: patch }, ifMatch: row.version });
    return { before: before as Partial<EstablishmentSettings>, after: patch as Partial<EstablishmentSettings>, targetId: row.id };
  })();
}
