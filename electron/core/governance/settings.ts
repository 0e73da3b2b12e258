/**
 * Settings. Per establishment, the directory's settings record (Scolarité services offered, direct communication with
 * families, letter header, help contact): changed locally and sent through the outbox (`settings.update`) in one
 * transaction. Per workstation, key/value rows of the `settings` table (JSON values): sync interval (read by the
 * scheduler), inactivity delay, offline sign-in period, retention periods, and the desktop app's automatic updates
 * (off by default; read by the Electron shell's updater).
 */
import type { Database } from 'better-sqlite3';
import { LocalSettings, type EstablishmentSettings, type SettingsView } from '../../../shared/api/contract';
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
  updatesEnabled: false,
  updateServerUrl: null,
};

const LOCAL_KEYS: Record<keyof LocalSettings, string> = {
  syncIntervalMinutes: 'sync.intervalMinutes',
  inactivityMinutes: 'session.inactivityMinutes',
  offlineSignInDays: 'session.offlineSignInDays',
  auditRetentionDays: 'retention.auditDays',
  pupilRetentionDays: 'retention.pupilDays',
  updatesEnabled: 'updates.enabled',
  updateServerUrl: 'updates.serverUrl',
};

const parseJson = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
};

/** Each setting from its row, checked against the contract's schema; a missing or unreadable row gives the default. */
export function readLocalSettings(db: Database): LocalSettings {
  const out: Record<string, unknown> = { ...LOCAL_DEFAULTS };
  const get = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  for (const [field, key] of Object.entries(LOCAL_KEYS) as [keyof LocalSettings, string][]) {
    const raw = get.get(key) as string | undefined;
    if (raw === undefined) continue;
    const parsed = LocalSettings.shape[field].safeParse(parseJson(raw));
    if (parsed.success) out[field] = parsed.data;
  }
  return out as LocalSettings;
}

/** Writes the patch in one transaction; refuses to turn updates on without the server's address. */
export function writeLocalSettings(db: Database, patch: Partial<LocalSettings>): void {
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    const next = { ...readLocalSettings(db), ...patch };
    if (next.updatesEnabled && !next.updateServerUrl) throw new ApiError('INVALID_INPUT', s.updatesNeedServer);
    for (const [field, value] of Object.entries(patch) as [keyof LocalSettings, unknown][]) {
      if (value !== undefined) put.run(LOCAL_KEYS[field], JSON.stringify(value));
    }
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
