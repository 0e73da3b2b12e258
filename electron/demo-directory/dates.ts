/** Calendar helpers on "YYYY-MM-DD" strings (UTC), for the simulated clock. */
const DAY_MS = 86_400_000;

export const parseDay = (day: string): number => Date.parse(`${day}T00:00:00Z`);
export const formatDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const addDays = (day: string, days: number): string => formatDay(parseDay(day) + days * DAY_MS);
export const daysBetween = (from: string, to: string): number => Math.round((parseDay(to) - parseDay(from)) / DAY_MS);

export function addMonths(isoDateTime: string, months: number): string {
  const d = new Date(isoDateTime);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
}

/** Sept 1 of the school year that contains `day`. */
export function schoolYearStart(day: string): string {
  const year = Number(day.slice(0, 4));
  const september = `${year}-09-01`;
  return day >= september ? september : `${year - 1}-09-01`;
}

/** A timestamp on `day` at a given second of the day. */
export const atSecond = (day: string, second: number): string =>
  new Date(parseDay(day) + Math.max(0, Math.min(86_399, Math.floor(second))) * 1000).toISOString();
