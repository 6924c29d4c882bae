import { FORMAT_PROFILE } from './format-profile.js';

/** A moment as the DGI writes it: Panama time (UTC-5, no daylight saving), seconds, offset `-05:00`. */
export function panamaDateTime(moment: Date): string {
  const local = new Date(moment.getTime() - 5 * 3_600_000).toISOString().slice(0, 19);
  return `${local}${FORMAT_PROFILE.panamaUtcOffset}`;
}

/** YYYY-MM: a month, as the books and the lists take a period. */
export const PERIOD_PATTERN = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

/** A month's bounds in Panama time (UTC-5, no daylight saving): [from, to). */
export function panamaMonth(period: string): { from: Date; to: Date } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(y, m - 1, 1, 5)), to: new Date(Date.UTC(y, m, 1, 5)) };
}
