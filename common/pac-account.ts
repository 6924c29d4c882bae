/**
 * What a PAC account tells fepa besides documents (HKA today: its prepaid folios and the DGI's RUC registry),
 * in the shapes the workflows, services and storage share.
 */

/** HKA's folio figures (FoliosRestantes), as numbers where HKA gives them. */
export interface PrepaidFolios {
  licence?: string;
  cycle?: string;
  cycleEndsAt?: string;
  cycleTotal?: number;
  cycleUsed?: number;
  cycleAvailable?: number;
  total?: number;
  available?: number;
}

/** A RUC as the DGI's registry knows it (ConsultarRucDV). */
export interface RucRegistryInfo {
  ruc: string;
  type: '1' | '2';
  dv: string;
  name: string;
  /** Enrolled in electronic invoicing (`afiliadoFE`). */
  enrolled: boolean;
}

/** One FoliosRestantes answer, as kept. */
export interface FolioReading {
  companyId: string;
  readAt: string;
  available: number | null;
  cycleAvailable: number | null;
  figures: PrepaidFolios | Record<string, never>;
  belowThreshold: boolean;
  reason: 'schedule' | 'request' | 'no-folios';
}

export type FolioCheck =
  | { ok: true; reading: FolioReading; threshold: number }
  | { ok: false; companyId: string; code: string; message: string };

export type RucLookup =
  { ok: true; source: 'cache' | 'pac'; info: RucRegistryInfo } | { ok: false; code: string; message: string };

/** A RUC looked up in the registry is reused for this long. */
export const RUC_LOOKUP_MAX_AGE_MS = 7 * 86_400_000;
