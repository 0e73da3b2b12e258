/**
 * stats.*: activation statistics (the Statistiques page), their evolution over the school year, the list of people to
 * call back (« À relancer ») and the Excel workbook. Every figure comes from the account projection's count tables.
 *
 * Several establishments: `uai` is optional in stats.summary, stats.evolution and stats.exportXlsx. Without it the call
 * covers every establishment of the operator on which `statistics` is held (the dispatcher's `ctx.uais`), with the
 * breakdowns by establishment and by department; with it, that establishment alone.
 */
import { z } from 'zod';
import { LEVELS } from '../../domain/accounts';
import { ExportOverwrite, ExportPath } from '../export-file';
import { IsoDate, Uai, method, byOperator, byUai, type MethodSpec } from '../spec';
import { JobId } from './jobs';

const count = z.number().int().nonnegative();

/** The figures of one group of people (an establishment, a level, a MEF, a class, a department). */
export const StatsGroup = z.object({
  pupils: count,
  /** Pupils whose account is activated (isActivatedState: activé or bloqué). */
  pupilsActivated: count,
  /** Pupils whose account is notified (letter handed out) but not activated. */
  pupilsNotified: count,
  /** Guardians of the Comptes list (legal guardians and account holders) whose children are in the group. */
  guardians: count,
  guardiansActivated: count,
  guardiansNotified: count,
  /** Pupils with at least one activated legal guardian (« familles »). */
  familiesWithActivatedGuardian: count,
});
export type StatsGroup = z.infer<typeof StatsGroup>;

export const StatsSummary = z.object({
  /** The establishment asked for; null for the operator-wide view. */
  uai: Uai.nullable(),
  /** The establishments counted. */
  uais: z.array(z.string()),
  pupils: z.object({ total: count, activated: count, notified: count, expiredLetters: count }),
  guardians: z.object({ total: count, activated: count, notified: count, expiredLetters: count }),
  /** total = pupils; withActivatedGuardian = pupils with at least one activated legal guardian. */
  families: z.object({ total: count, withActivatedGuardian: count }),
  byLevel: z.array(StatsGroup.extend({ level: z.enum(LEVELS), label: z.string() })),
  byMef: z.array(StatsGroup.extend({ mef: z.string(), label: z.string().nullable() })),
  byClass: z.array(StatsGroup.extend({ uai: z.string(), division: z.string(), mef: z.string().nullable() })),
  byEstablishment: z.array(
    StatsGroup.extend({ uai: z.string(), name: z.string().nullable(), department: z.string(), expiredLetters: count, asOf: IsoDate.nullable() }),
  ),
  byDepartment: z.array(StatsGroup.extend({ department: z.string(), label: z.string(), establishments: count })),
  /** The activation target shown as a line (a workstation setting, 80 % by default), as a fraction (0.8). */
  target: z.number().min(0).max(1),
  /**
   * The directory's date of the figures (its own clock, from the last sync that recorded them); null before any.
   * Several establishments: the earliest of those known. Letters count as expired when they expired before this date.
   */
  asOf: IsoDate.nullable(),
  /** When this workstation last recorded them (ISO timestamp); null before any sync. */
  syncedAt: z.string().nullable(),
});
export type StatsSummary = z.infer<typeof StatsSummary>;

export const EvolutionPoint = z.object({
  date: IsoDate,
  pupils: count,
  pupilsActivated: count,
  guardians: count,
  guardiansActivated: count,
  /** Only on the days this workstation recorded (the directory's history does not give families). */
  familiesWithActivatedGuardian: count.nullable(),
  /** `snapshot`: recorded by this workstation at a sync; `directory`: the directory's history for a day not recorded here. */
  source: z.enum(['snapshot', 'directory']),
});
export type EvolutionPoint = z.infer<typeof EvolutionPoint>;

export const StatsEvolution = z.object({
  uai: Uai.nullable(),
  uais: z.array(z.string()),
  schoolYearStart: IsoDate.nullable(),
  /** The range of the points (the asked one, within the data held). */
  from: IsoDate.nullable(),
  to: IsoDate.nullable(),
  points: z.array(EvolutionPoint),
  /** « Du … au … »: the first and last points of the range and what changed in between; null with fewer than 2 points. */
  comparison: z
    .object({
      from: EvolutionPoint,
      to: EvolutionPoint,
      pupilsActivated: z.number().int(),
      guardiansActivated: z.number().int(),
      /** Change of the pupils' and guardians' rates, in points of fraction (0.05 = +5 points). Null without a rate. */
      pupilsRate: z.number().nullable(),
      guardiansRate: z.number().nullable(),
    })
    .nullable(),
  target: z.number().min(0).max(1),
});
export type StatsEvolution = z.infer<typeof StatsEvolution>;

export const CALL_LIST_KINDS = ['pupil', 'family'] as const;
export const CallListKind = z.enum(CALL_LIST_KINDS);
export type CallListKind = z.infer<typeof CallListKind>;

export const CallListRow = z.object({
  /** The person's directory id (the pupil, or the guardian for a family). */
  id: z.string(),
  kind: CallListKind,
  displayName: z.string(),
  lastName: z.string(),
  firstName: z.string(),
  /** The pupil's class; for a family, the first child's. */
  division: z.string().nullable(),
  state: z.enum(['non_notifie', 'notifie']),
  /** The letter handed out expired before the figures' date. */
  letterExpired: z.boolean(),
  /** For a family: the guardian's children (name and class); empty for a pupil. */
  children: z.array(z.object({ displayName: z.string(), division: z.string().nullable() })),
  /** Null when the establishment does not allow direct communication with families (see `contactsWithheld`). */
  email: z.string().nullable(),
  emailStatus: z.enum(['none', 'unconfirmed', 'confirmed']).nullable(),
  mobile: z.string().nullable(),
  mobileStatus: z.enum(['none', 'unconfirmed', 'confirmed']).nullable(),
});
export type CallListRow = z.infer<typeof CallListRow>;

export const CallListSort = z.object({ field: z.enum(['division', 'name']), direction: z.enum(['asc', 'desc']).default('asc') }).strict();

export const CallList = z.object({
  total: count,
  rows: z.array(CallListRow),
  /**
   * The establishment does not allow direct communication with families (`directCommunication` off, the private
   * establishments' default): the list names who to call back but gives no email or mobile, and says so.
   */
  contactsWithheld: z.boolean(),
});
export type CallList = z.infer<typeof CallList>;

export const TARGET_DEFAULT = 0.8;

export const statsMethods = {
  'stats.summary': method({
    permission: 'statistics',
    scope: byUai(),
    summary:
      'Activation figures of an establishment (or, without uai, of every establishment the operator holds statistics on): ' +
      'pupils, legal guardians, families, notified, expired letters; by level, MEF, class, establishment and department.',
    mutation: false,
    input: z.object({ uai: Uai.optional() }).strict(),
    output: StatsSummary,
  }),
  'stats.evolution': method({
    permission: 'statistics',
    scope: byUai(),
    summary:
      'Activation day by day over the school year (snapshots taken at each sync, dated with the directory’s date, and the ' +
      'directory’s history before them), with the « du … au … » comparison; without uai, the sum of the operator’s establishments.',
    mutation: false,
    input: z
      .object({ uai: Uai.optional(), from: IsoDate.optional(), to: IsoDate.optional() })
      .strict()
      .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'La date de début doit précéder la date de fin.' }),
    output: StatsEvolution,
  }),
  'stats.callList': method({
    permission: 'statistics',
    scope: byUai(),
    summary:
      'À relancer: pupils not activated, or families without an activated legal guardian (one row per guardian not activated), ' +
      'with contact data and whether email and mobile are confirmed, unless the establishment refuses direct communication.',
    mutation: false,
    input: z
      .object({
        uai: Uai,
        kind: CallListKind,
        sort: CallListSort.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    output: CallList,
  }),
  'stats.exportXlsx': method({
    permission: 'statistics',
    scope: byUai(),
    summary:
      'Writes the statistics workbook (.xlsx: Synthèse, Par classe, Par MEF, Évolution with its chart, À relancer; Par ' +
      'établissement and Par département for several establishments) at an absolute path; an existing file only with overwrite.',
    mutation: false,
    audited: true,
    input: z.object({ uai: Uai.optional(), path: ExportPath, overwrite: ExportOverwrite, jobId: JobId.optional() }).strict(),
    output: z.object({ path: z.string(), cancelled: z.boolean() }),
  }),
  'stats.setTarget': method({
    permission: 'administration',
    scope: byOperator,
    summary: 'Sets the activation target shown on the dashboard and in the workbook (a workstation setting, 80 % by default).',
    mutation: true,
    input: z.object({ target: z.number().min(0.05, 'Objectif : entre 5 et 100 %.').max(1, 'Objectif : entre 5 et 100 %.') }).strict(),
    output: z.object({ target: z.number() }),
  }),
} satisfies Record<string, MethodSpec>;

export const statsEvents = {
  /** New figures were recorded for an establishment (after a sync): the Statistiques page reloads. */
  'stats.changed': z.object({ uai: z.string() }),
} satisfies Record<string, z.ZodType>;
