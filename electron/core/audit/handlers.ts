/** The audit.* methods: the trail of the caller's establishments, its verification, its export. */
import type { Handlers } from '../dispatcher';
import { writeAuditWorkbook } from './export';
import type { AuditTrail } from './trail';

export function auditHandlers(trail: AuditTrail): Pick<Handlers, 'audit.list' | 'audit.verify' | 'audit.export'> {
  return {
    'audit.list': (input, ctx) => trail.list(input, ctx.uais),
    'audit.verify': () => trail.verify(),
    'audit.export': async ({ path, overwrite, ...filter }, ctx) => {
      const written = await writeAuditWorkbook({ path, overwrite }, trail.iterate(filter, ctx.uais));
      ctx.audit({ uai: filter.uai, targetType: 'file', targetId: written.path, after: { rows: written.rows, filter, overwrite: overwrite === true } });
      return written;
    },
  };
}
