import { FORMAT_PROFILE } from './format-profile.js';

/** A moment as the DGI writes it: Panama time (UTC-5, no daylight saving), seconds, offset `-05:00`. */
export function panamaDateTime(moment: Date): string {
  const local = new Date(moment.getTime() - 5 * 3_600_000).toISOString().slice(0, 19);
  return `${local}${FORMAT_PROFILE.panamaUtcOffset}`;
}
