/** Calendar days as the establishment lives them (local time), for end dates and retention cut-offs. */

export function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The last day of the school year in progress: 31 August (this year's until then, next year's after). */
export function endOfSchoolYear(today: string): string {
  const year = Number(today.slice(0, 4));
  return today <= `${year}-08-31` ? `${year}-08-31` : `${year + 1}-08-31`;
}
