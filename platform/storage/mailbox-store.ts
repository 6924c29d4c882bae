import type { SecretBox } from '../secrets/secret-box.js';
import type { Sql } from './database.js';

/** A company's mailbox, as shown (never the password). */
export interface MailboxSettings {
  companyId: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  folder: string;
  /** What is done with a message once read: moved to `doneFolder`, or flagged. */
  whenDone: 'move' | 'flag';
  doneFolder: string | null;
  enabled: boolean;
  lastUid: number;
  uidValidity: string | null;
  lastReadAt: string | null;
  lastError: string | null;
}

interface Row {
  company_id: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  folder: string;
  when_done: 'move' | 'flag';
  done_folder: string | null;
  enabled: boolean;
  last_uid: string;
  uid_validity: string | null;
  last_read_at: Date | null;
  last_error: string | null;
}

const context = (companyId: string) => `company:${companyId}:mailbox-password`;

const toSettings = (r: Row): MailboxSettings => ({
  companyId: r.company_id,
  host: r.host,
  port: r.port,
  secure: r.secure,
  username: r.username,
  folder: r.folder,
  whenDone: r.when_done,
  doneFolder: r.done_folder,
  enabled: r.enabled,
  lastUid: Number(r.last_uid),
  uidValidity: r.uid_validity,
  lastReadAt: r.last_read_at?.toISOString() ?? null,
  lastError: r.last_error,
});

export async function saveMailbox(
  sql: Sql,
  box: SecretBox,
  input: Omit<MailboxSettings, 'lastUid' | 'uidValidity' | 'lastReadAt' | 'lastError'> & { password: string },
): Promise<void> {
  const sealed = box.seal(input.password, context(input.companyId));
  // Another server or folder is another numbering: the UIDs read so far no longer apply.
  await sql`
    insert into company_mailboxes (company_id, host, port, secure, username, secret_key_id, password_sealed, folder,
      when_done, done_folder, enabled)
    values (${input.companyId}, ${input.host}, ${input.port}, ${input.secure}, ${input.username}, ${sealed.keyId},
      ${sealed.ciphertext}, ${input.folder}, ${input.whenDone}, ${input.doneFolder}, ${input.enabled})
    on conflict (company_id) do update set
      uid_validity = case when company_mailboxes.host = excluded.host and company_mailboxes.folder = excluded.folder
        and company_mailboxes.username = excluded.username then company_mailboxes.uid_validity else null end,
      last_uid = case when company_mailboxes.host = excluded.host and company_mailboxes.folder = excluded.folder
        and company_mailboxes.username = excluded.username then company_mailboxes.last_uid else 0 end,
      host = excluded.host, port = excluded.port, secure = excluded.secure, username = excluded.username,
      secret_key_id = excluded.secret_key_id, password_sealed = excluded.password_sealed, folder = excluded.folder,
      when_done = excluded.when_done, done_folder = excluded.done_folder, enabled = excluded.enabled,
      last_error = null, updated_at = now()`;
}

export async function findMailbox(sql: Sql, companyId: string): Promise<MailboxSettings | undefined> {
  const [row] = await sql<Row[]>`
    select company_id, host, port, secure, username, folder, when_done, done_folder, enabled, last_uid::text,
      uid_validity::text, last_read_at, last_error
    from company_mailboxes where company_id = ${companyId}`;
  return row ? toSettings(row) : undefined;
}

export async function deleteMailbox(sql: Sql, companyId: string): Promise<boolean> {
  const rows = await sql`delete from company_mailboxes where company_id = ${companyId} returning company_id`;
  return rows.length > 0;
}

/** The mailbox with its password, opened inside the worker only. */
export async function openMailbox(
  sql: Sql,
  box: SecretBox,
  companyId: string,
): Promise<(MailboxSettings & { password: string }) | undefined> {
  const settings = await findMailbox(sql, companyId);
  if (!settings) return undefined;
  const [row] = await sql<Array<{ secret_key_id: string; password_sealed: Buffer }>>`
    select secret_key_id, password_sealed from company_mailboxes where company_id = ${companyId}`;
  const password = box
    .open({ keyId: row!.secret_key_id, ciphertext: row!.password_sealed }, context(companyId))
    .toString('utf8');
  return { ...settings, password };
}

/** Where reading got to: the folder's UIDVALIDITY and the last UID handled (or the error that stopped it). */
export async function recordMailboxRead(
  sql: Sql,
  companyId: string,
  read: { uidValidity?: string; lastUid?: number; error?: string | null },
): Promise<void> {
  await sql`
    update company_mailboxes set
      uid_validity = coalesce(${read.uidValidity ?? null}::bigint, uid_validity),
      last_uid = coalesce(${read.lastUid ?? null}::bigint, last_uid),
      last_read_at = now(), last_error = ${read.error ?? null}
    where company_id = ${companyId}`;
}

export async function messageAlreadyRead(
  sql: Sql,
  companyId: string,
  uidValidity: string,
  uid: number,
): Promise<boolean> {
  const rows = await sql`
    select 1 from received_mail_messages where company_id = ${companyId} and uid_validity = ${uidValidity} and uid = ${uid}`;
  return rows.length > 0;
}

export interface MessageOutcome {
  messageId?: string | undefined;
  documents: Array<{ source: string; outcome: string; cufe?: string; receivedId?: string; reason?: string }>;
  skipped: Array<{ source: string; reason: string }>;
}

export async function recordMessageRead(
  sql: Sql,
  companyId: string,
  uidValidity: string,
  uid: number,
  outcome: MessageOutcome,
): Promise<void> {
  await sql`
    insert into received_mail_messages (company_id, uid_validity, uid, message_id, outcome)
    values (${companyId}, ${uidValidity}, ${uid}, ${outcome.messageId ?? null}, ${sql.json(outcome as never)})
    on conflict do nothing`;
}

export async function recentMessages(
  sql: Sql,
  companyId: string,
  limit = 20,
): Promise<Array<{ uid: number; messageId: string | null; outcome: MessageOutcome; readAt: string }>> {
  const rows = await sql<
    Array<{ uid: string; message_id: string | null; outcome: MessageOutcome; read_at: Date }>
  >`
    select uid::text, message_id, outcome, read_at from received_mail_messages
    where company_id = ${companyId} order by read_at desc, uid desc limit ${limit}`;
  return rows.map((r) => ({
    uid: Number(r.uid),
    messageId: r.message_id,
    outcome: r.outcome,
    readAt: r.read_at.toISOString(),
  }));
}

/**
 * Runs `work` while holding the company's mailbox lock (a PostgreSQL session advisory lock on a connection
 * of its own): a scheduled read and a "read now" never read the same mailbox at once, whichever worker runs them.
 */
export async function withMailboxLock<T>(sql: Sql, companyId: string, work: () => Promise<T>): Promise<T> {
  const connection = await sql.reserve();
  try {
    await connection`select pg_advisory_lock(hashtextextended(${`mailbox:${companyId}`}, 0))`;
    try {
      return await work();
    } finally {
      await connection`select pg_advisory_unlock(hashtextextended(${`mailbox:${companyId}`}, 0))`;
    }
  } finally {
    connection.release();
  }
}
