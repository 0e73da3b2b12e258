/** The demo directory's activation history: past days counted with that day's accounts, the directory's own date. */
import { describe, expect, it } from 'vitest';
import { generateAcademy } from '../../electron/demo-directory/generate';
import { activationHistory } from '../../electron/demo-directory/history';
import { advanceLife } from '../../electron/demo-directory/life';
import { DirectoryStore } from '../../electron/demo-directory/store';
import { ActivationHistory } from '../../shared/directory/wire';

describe('activation history', () => {
  it('gives the directory’s date, and each day the accounts that existed that day', () => {
    const store = new DirectoryStore(':memory:');
    const { establishments } = generateAcademy(store, { seed: 3, establishments: 1, pupils: 200, today: '2026-10-01' });
    const uai = establishments[0]!.uai;
    const generated = store.accountTotals(uai);
    advanceLife(store, { seed: 3, days: 40, retentionDays: 30 });
    const history = ActivationHistory.parse(activationHistory(store, uai));
    expect(history.today).toBe('2026-11-10');
    expect(history.days.at(-1)!.date).toBe('2026-11-10');
    const on = (date: string) => history.days.find((d) => d.date === date)!;
    // Before and on the generation day: the academy as generated.
    expect(on('2026-09-15')).toMatchObject({ pupils: generated.pupils, guardians: generated.guardians });
    expect(on('2026-10-01')).toMatchObject({ pupils: generated.pupils, guardians: generated.guardians });
    // Today: the live accounts; families arrived meanwhile.
    expect(on('2026-11-10')).toMatchObject(store.accountTotals(uai));
    expect(on('2026-11-10').pupils).toBeGreaterThan(generated.pupils);
    for (const d of history.days) {
      expect(d.pupilsActivated).toBeLessThanOrEqual(d.pupils);
      expect(d.guardiansActivated).toBeLessThanOrEqual(d.guardians);
    }
    for (let i = 1; i < history.days.length; i++) expect(history.days[i]!.pupils).toBeGreaterThanOrEqual(history.days[i - 1]!.pupils);
    store.close();
  });
});
