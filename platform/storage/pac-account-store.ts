import type { FolioReading, PrepaidFolios, RucRegistryInfo } from '../../common/pac-account.js';
import type { Sql } from './database.js';

export type { FolioReading };

/** The HKA choices of a company: the folio alert threshold and the receiver RUC check. */
export interface PacAccountSettings {
  folioAlertThreshold: number;
  checkReceiverRuc: boolean;
}

export async function pacAccountSettings(sql: Sql, companyId: string): Promise<PacAccountSettings> {
  const [row] = await sql<Array<{ folio_alert_threshold: number; check_receiver_ruc: boolean }>>`
    select folio_alert_threshold, check_receiver_ruc from company_pac_settings where company_id = ${companyId}`;
  return {
    folioAlertThreshold: row?.folio_alert_threshold ?? 100,
    checkReceiverRuc: row?.check_receiver_ruc ?? false,
  };
}

/** Updates the HKA choices given; false when the company has no PAC settings yet. */
export async function savePacAccountSettings(
  sql: Sql,
  companyId: string,
  settings: Partial<PacAccountSettings>,
): Promise<boolean> {
  const rows = await sql`
    update company_pac_settings set
      folio_alert_threshold = coalesce(${settings.folioAlertThreshold ?? null}, folio_alert_threshold),
      check_receiver_ruc = coalesce(${settings.checkReceiverRuc ?? null}, check_receiver_ruc),
      updated_at = now()
    where company_id = ${companyId}`;
  return rows.count > 0;
}

/** Companies whose PAC is HKA (the daily folio watch reads each). */
/** The companies whose PAC is one of `pacs` (those with account services: the caller knows which). */
export async function pacAccountCompanyIds(sql: Sql, pacs: readonly string[]): Promise<string[]> {
  const rows = await sql<Array<{ company_id: string }>>`
    select company_id from company_pac_settings where pac = any(${pacs as string[]}) order by company_id`;
  return rows.map((r) => r.company_id);
}

export async function recordFolioReading(
  sql: Sql,
  reading: Omit<FolioReading, 'readAt'>,
): Promise<FolioReading> {
  const [row] = await sql<Array<{ read_at: Date }>>`
    insert into pac_folio_readings (company_id, available, cycle_available, figures, below_threshold, reason)
    values (${reading.companyId}, ${reading.available}, ${reading.cycleAvailable},
            ${sql.json(reading.figures as never)}, ${reading.belowThreshold}, ${reading.reason})
    returning read_at`;
  return { ...reading, readAt: row!.read_at.toISOString() };
}

export async function latestFolioReading(sql: Sql, companyId: string): Promise<FolioReading | undefined> {
  const [row] = await sql<
    Array<{
      read_at: Date;
      available: number | null;
      cycle_available: number | null;
      figures: PrepaidFolios;
      below_threshold: boolean;
      reason: FolioReading['reason'];
    }>
  >`
    select read_at, available, cycle_available, figures, below_threshold, reason from pac_folio_readings
    where company_id = ${companyId} order by read_at desc, id desc limit 1`;
  if (!row) return undefined;
  return {
    companyId,
    readAt: row.read_at.toISOString(),
    available: row.available,
    cycleAvailable: row.cycle_available,
    figures: row.figures,
    belowThreshold: row.below_threshold,
    reason: row.reason,
  };
}

/** A cached RUC look-up no older than `maxAgeMs`. */
export async function cachedRucLookup(
  sql: Sql,
  companyId: string,
  type: '1' | '2',
  ruc: string,
  maxAgeMs: number,
): Promise<(RucRegistryInfo & { lookedUpAt: string }) | undefined> {
  const [row] = await sql<Array<{ dv: string; name: string; enrolled: boolean; looked_up_at: Date }>>`
    select dv, name, enrolled, looked_up_at from ruc_lookups
    where company_id = ${companyId} and ruc_type = ${Number(type)} and ruc = ${ruc}
      and looked_up_at > now() - make_interval(secs => ${maxAgeMs / 1000})`;
  if (!row) return undefined;
  return {
    ruc,
    type,
    dv: row.dv,
    name: row.name,
    enrolled: row.enrolled,
    lookedUpAt: row.looked_up_at.toISOString(),
  };
}

export async function saveRucLookup(sql: Sql, companyId: string, info: RucRegistryInfo): Promise<void> {
  await sql`
    insert into ruc_lookups (company_id, ruc_type, ruc, dv, name, enrolled)
    values (${companyId}, ${Number(info.type)}, ${info.ruc}, ${info.dv}, ${info.name}, ${info.enrolled})
    on conflict (company_id, ruc_type, ruc) do update set dv = excluded.dv, name = excluded.name,
      enrolled = excluded.enrolled, looked_up_at = now()`;
}
