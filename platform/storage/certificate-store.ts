import type { CertificateFacts } from '../../domain/certificates/certificate-facts.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Sql } from './database.js';

export interface StoredCertificate {
  id: string;
  companyId: string;
  status: 'active' | 'replaced' | 'deleted';
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprintSha256: string;
  rucInSubject: string | null;
  notBefore: Date;
  notAfter: Date;
  uploadedAt: Date;
  endedAt: Date | null;
}

const COLUMNS =
  'id, company_id, status, subject, issuer, serial_number, fingerprint_sha256, ruc_in_subject, not_before, not_after, uploaded_at, ended_at';

interface Row {
  id: string;
  company_id: string;
  status: StoredCertificate['status'];
  subject: string;
  issuer: string;
  serial_number: string;
  fingerprint_sha256: string;
  ruc_in_subject: string | null;
  not_before: Date;
  not_after: Date;
  uploaded_at: Date;
  ended_at: Date | null;
}

const toStored = (r: Row): StoredCertificate => ({
  id: r.id,
  companyId: r.company_id,
  status: r.status,
  subject: r.subject,
  issuer: r.issuer,
  serialNumber: r.serial_number,
  fingerprintSha256: r.fingerprint_sha256,
  rucInSubject: r.ruc_in_subject,
  notBefore: r.not_before,
  notAfter: r.not_after,
  uploadedAt: r.uploaded_at,
  endedAt: r.ended_at,
});

/** Secrets are bound to their company and purpose, so a sealed value copied elsewhere does not open. */
const context = (companyId: string, certificateId: string, part: 'p12' | 'password') =>
  `company:${companyId}:certificate:${certificateId}:${part}`;

/**
 * Stores a new active certificate for the company, in one transaction: the previous active one becomes
 * `replaced` (kept as history). The P12 and its password are sealed; only public facts are plain.
 */
export async function saveCertificate(
  sql: Sql,
  box: SecretBox,
  input: { companyId: string; p12: Buffer; password: string; facts: CertificateFacts },
): Promise<StoredCertificate> {
  return sql.begin(async (tx) => {
    await tx`select id from companies where id = ${input.companyId} for update`;
    await tx`update company_certificates set status = 'replaced', ended_at = now()
             where company_id = ${input.companyId} and status = 'active'`;
    const [{ id }] = (await tx`select gen_random_uuid() as id`) as unknown as [{ id: string }];
    const p12 = box.seal(input.p12, context(input.companyId, id, 'p12'));
    const password = box.seal(input.password, context(input.companyId, id, 'password'));
    const f = input.facts;
    const [row] = await tx<Row[]>`
      insert into company_certificates (id, company_id, status, secret_key_id, p12_sealed, password_sealed, subject, issuer,
        serial_number, fingerprint_sha256, ruc_in_subject, not_before, not_after)
      values (${id}, ${input.companyId}, 'active', ${p12.keyId}, ${p12.ciphertext}, ${password.ciphertext}, ${f.subject}, ${f.issuer},
        ${f.serialNumber}, ${f.fingerprintSha256}, ${f.ruc ?? null}, ${f.notBefore}, ${f.notAfter})
      returning ${tx.unsafe(COLUMNS)}`;
    return toStored(row!);
  });
}

export async function activeCertificate(sql: Sql, companyId: string): Promise<StoredCertificate | undefined> {
  const [row] = await sql<Row[]>`select ${sql.unsafe(COLUMNS)} from company_certificates
                                 where company_id = ${companyId} and status = 'active'`;
  return row ? toStored(row) : undefined;
}

export async function certificateHistory(sql: Sql, companyId: string): Promise<StoredCertificate[]> {
  const rows = await sql<Row[]>`select ${sql.unsafe(COLUMNS)} from company_certificates
                                where company_id = ${companyId} order by uploaded_at desc`;
  return rows.map(toStored);
}

/** The active certificate's P12 and password, opened. Only the signing path calls this. */
export async function openActiveCertificate(
  sql: Sql,
  box: SecretBox,
  companyId: string,
): Promise<{ certificate: StoredCertificate; p12: Buffer; password: string } | undefined> {
  const [row] = await sql<
    Array<Row & { secret_key_id: string; p12_sealed: Buffer; password_sealed: Buffer }>
  >`
    select ${sql.unsafe(COLUMNS)}, secret_key_id, p12_sealed, password_sealed from company_certificates
    where company_id = ${companyId} and status = 'active'`;
  if (!row) return undefined;
  return {
    certificate: toStored(row),
    p12: box.open(
      { keyId: row.secret_key_id, ciphertext: row.p12_sealed },
      context(companyId, row.id, 'p12'),
    ),
    password: box
      .open(
        { keyId: row.secret_key_id, ciphertext: row.password_sealed },
        context(companyId, row.id, 'password'),
      )
      .toString('utf8'),
  };
}

/** Deletes the active certificate: its secrets are erased; its public facts stay as history. */
export async function deleteActiveCertificate(sql: Sql, companyId: string): Promise<boolean> {
  const rows = await sql`update company_certificates
    set status = 'deleted', ended_at = now(), p12_sealed = null, password_sealed = null, secret_key_id = null
    where company_id = ${companyId} and status = 'active' returning id`;
  return rows.length > 0;
}

/** Active certificates that expire before `horizon`, for the expiry watch. */
export async function certificatesExpiringBefore(sql: Sql, horizon: Date): Promise<StoredCertificate[]> {
  const rows = await sql<Row[]>`select ${sql.unsafe(COLUMNS)} from company_certificates
                                where status = 'active' and not_after < ${horizon} order by not_after`;
  return rows.map(toStored);
}

/** Records an expiry event once per certificate and kind; answers whether it is new. */
export async function recordCertificateEvent(
  sql: Sql,
  certificateId: string,
  kind: 'expiring' | 'expired',
  detail: Record<string, unknown>,
): Promise<boolean> {
  const rows = await sql`insert into certificate_events (certificate_id, kind, detail)
    values (${certificateId}, ${kind}, ${sql.json(detail as never)}) on conflict (certificate_id, kind) do nothing returning id`;
  return rows.length > 0;
}

export async function certificateEvents(
  sql: Sql,
  certificateId: string,
): Promise<Array<{ kind: string; createdAt: Date }>> {
  const rows = await sql<
    Array<{ kind: string; created_at: Date }>
  >`select kind, created_at from certificate_events
    where certificate_id = ${certificateId} order by id`;
  return rows.map((r) => ({ kind: r.kind, createdAt: r.created_at }));
}
