/** The audit.* methods: the trail of the caller's establishments, its verification, its export. */
import type { Handlers } from '../dispatcher';
import { checkExportPath, writeAuditWorkbook } from './export';
import type { AuditTrail } from './trail';

export function auditHandlers(trail: AuditTrail): Pick<Handlers, 'audit.list' | 'audit.verify' | 'audit.export'> {
  return {
    'audit.list': (input, ctx) => trail.list(input, ctx.uais),
    'audit.verify': () => trail.verify(),
    'audit.export': async ({ path, ...filter }, ctx) => {
      checkExportPath(path);
      const rows = await writeAuditWorkbook(path, trail.iterate(filter, ctx.uais));
      ctx.audit({ uai: filter.uai, targetType: 'file', targetId: path, after: { rows, filter } });
      return { path, rows };
    },
  };
}
