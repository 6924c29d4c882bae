import type { ContingencyEvidence } from '../../common/contingency-messages.js';
import { z } from 'zod';

/**
 * A company's contingency choices (stored in companies.contingency_settings; every field has a default, so
 * a company that never chose anything gets these). Opening one automatically is off until the company
 * turns it on: a contingency changes what its documents say (iTpEmis 02/04).
 */
export const ContingencySettingsSchema = z.strictObject({
  /** Open a contingency by itself when the PAC cannot be reached. */
  autoOpen: z.boolean().default(false),
  /** ... after this many consecutive PAC calls without an answer, */
  afterFailures: z.int().min(1).max(1_000).default(5),
  /** ... or once the PAC has not answered for this long (whichever comes first). */
  afterMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(10),
  /** An automatic contingency ends once the PAC has answered every probe for this long. */
  endAfterHealthyMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(5),
  /** prior: iTpEmis 02 (every PAC); posterior: 04 (PACs with the "uso posterior" modality). */
  modality: z.enum(['prior', 'posterior']).default('prior'),
  /**
   * Point 3 of docs/document-lifecycle.md: a document queued offline as 01 before the contingency opened,
   * never sent and never handed over, is re-issued in contingency (new CUFE, same number). Off: it stays
   * 01 and waits for the PAC.
   */
  reissueOfflineDocuments: z.boolean().default(false),
});

export type ContingencySettings = z.infer<typeof ContingencySettingsSchema>;

/** The stored settings with defaults filled in (a stored value that no longer parses falls back to defaults). */
export function contingencySettingsOf(stored: unknown): ContingencySettings {
  const parsed = ContingencySettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : ContingencySettingsSchema.parse({});
}

/** What the PAC calls of a company looked like: consecutive calls without an answer, since when. */
export interface Reachability {
  consecutiveFailures: number;
  failingSince?: Date | undefined;
  lastFailure?: string | undefined;
}

/**
 * Whether the evidence is enough to open a contingency by itself, and the evidence as recorded with the
 * decision. `now` is the time of the last failure.
 */
export function shouldOpenContingency(
  settings: ContingencySettings,
  reach: Reachability,
  now: Date,
): { open: false } | { open: true; evidence: ContingencyEvidence } {
  if (!settings.autoOpen || reach.consecutiveFailures === 0 || !reach.failingSince) return { open: false };
  const downMs = now.getTime() - reach.failingSince.getTime();
  const byCount = reach.consecutiveFailures >= settings.afterFailures;
  const byTime = downMs >= settings.afterMinutes * 60_000;
  if (!byCount && !byTime) return { open: false };
  return {
    open: true,
    evidence: {
      rule: byCount
        ? `${reach.consecutiveFailures} consecutive PAC calls without an answer (threshold ${settings.afterFailures})`
        : `no PAC answer for ${Math.round(downMs / 60_000)} min (threshold ${settings.afterMinutes} min)`,
      consecutiveFailures: reach.consecutiveFailures,
      failingSince: reach.failingSince.toISOString(),
      decidedAt: now.toISOString(),
      ...(reach.lastFailure ? { lastFailure: reach.lastFailure.slice(0, 300) } : {}),
    },
  };
}

export type { ContingencyEvidence };
