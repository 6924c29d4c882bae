import { ApplicationFailure, getClient, heartbeat, log } from '@temporalio/activity';
import { simpleParser } from 'mailparser';
import type { MailboxReadInput, MailboxReadSummary } from '../common/mailbox.js';
import { TASK_QUEUES } from '../common/task-queues.js';
import { documentsInMail } from '../domain/receiving/mail-documents.js';
import { RECEIVED_LIMITS } from '../domain/receiving/received-limits.js';
import { readNewMessages } from '../platform/mail/imap-reader.js';
import { resolveMailboxAddress } from '../platform/mail/mailbox-address.js';
import { OutboundRefused, type Resolver } from '../platform/outbound/outbound-guard.js';
import type { SecretBox } from '../platform/secrets/secret-box.js';
import type { Sql } from '../platform/storage/database.js';
import {
  messageAlreadyRead,
  openMailbox,
  recordMailboxRead,
  recordMessageRead,
  withMailboxLock,
  type MessageOutcome,
} from '../platform/storage/mailbox-store.js';
import { intakeReceived } from '../platform/temporal/received-intake.js';

const EMPTY = { messages: 0, documents: 0, newDocuments: 0, refused: 0, skipped: 0, remaining: 0 };

/** Reading a company's mailbox (docs/receiving.md, "The mailbox"). */
export function createMailboxActivities(deps: {
  sql: Sql;
  box: SecretBox;
  /** FEPA_MAIL_ALLOWED_HOSTS. */
  mailAllowedHosts: readonly string[];
  documentsTaskQueue?: string;
  resolve?: Resolver;
}) {
  return {
    /**
     * Takes the XML documents of every message that arrived since the last read, through the one intake, and
     * files each message. A message is read once (its UID is recorded with what came of it); a mailbox that
     * is down fails the attempt (Temporal retries); an address fepa may not reach is reported, not retried.
     */
    readCompanyMailbox(input: MailboxReadInput): Promise<MailboxReadSummary> {
      return withMailboxLock(deps.sql, input.companyId, () => readLocked(input));
    },
  };

  async function readLocked(input: MailboxReadInput): Promise<MailboxReadSummary> {
    const mailbox = await openMailbox(deps.sql, deps.box, input.companyId);
    if (!mailbox?.enabled) return { configured: false, ...EMPTY };
    let address;
    try {
      address = await resolveMailboxAddress(mailbox, deps.mailAllowedHosts, deps.resolve);
    } catch (err) {
      if (!(err instanceof OutboundRefused)) throw err;
      await recordMailboxRead(deps.sql, input.companyId, { error: `${err.code}: ${err.message}` });
      return { configured: true, ...EMPTY, error: `${err.code}: ${err.message}` };
    }
    const summary: MailboxReadSummary = { configured: true, ...EMPTY };
    const intake = {
      sql: deps.sql,
      client: getClient(),
      taskQueue: deps.documentsTaskQueue ?? TASK_QUEUES.documents,
      pacTaskQueuePrefix: input.pacTaskQueuePrefix,
      timings: input.receivedTimings,
    };
    try {
      const read = await readNewMessages(
        {
          connectTo: address.connectTo,
          servername: address.servername,
          port: mailbox.port,
          secure: mailbox.secure,
          user: mailbox.username,
          password: mailbox.password,
          folder: mailbox.folder,
        },
        {
          knownUidValidity: mailbox.uidValidity,
          afterUid: mailbox.lastUid,
          maxMessages: input.maxMessages ?? 100,
          maxMessageBytes: RECEIVED_LIMITS.messageBytes,
          whenDone: mailbox.whenDone,
          doneFolder: mailbox.doneFolder,
        },
        async (message) => {
          heartbeat({ uid: message.uid });
          summary.messages++;
          if (await messageAlreadyRead(deps.sql, input.companyId, message.uidValidity, message.uid)) return;
          const outcome: MessageOutcome = { documents: [], skipped: [] };
          if (!message.source) {
            outcome.skipped.push({
              source: '(message)',
              reason: `${message.size} bytes, more than ${RECEIVED_LIMITS.messageBytes}`,
            });
          } else {
            const parsed = await simpleParser(message.source);
            outcome.messageId = parsed.messageId;
            const { found, skipped } = documentsInMail(
              parsed.attachments.map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: a.content,
              })),
            );
            outcome.skipped.push(...skipped);
            for (const document of found) {
              const result = await intakeReceived(intake, input.companyId, document.xml, 'mail');
              if (result.outcome === 'refused') {
                summary.refused++;
                outcome.documents.push({
                  source: document.source,
                  outcome: 'refused',
                  reason: `${result.refusal.path}: ${result.refusal.message}`,
                });
              } else if (result.outcome !== 'company-not-found') {
                summary.documents++;
                if (result.outcome === 'created') summary.newDocuments++;
                outcome.documents.push({
                  source: document.source,
                  outcome: result.outcome,
                  cufe: result.row.cufe,
                  receivedId: result.row.id,
                });
              }
            }
          }
          summary.skipped += outcome.skipped.length;
          await recordMessageRead(deps.sql, input.companyId, message.uidValidity, message.uid, outcome);
        },
        (uid, uidValidity) => recordMailboxRead(deps.sql, input.companyId, { uidValidity, lastUid: uid }),
      );
      summary.remaining = read.remaining;
      await recordMailboxRead(deps.sql, input.companyId, { uidValidity: read.uidValidity });
      log.info('mailbox read', { companyId: input.companyId, ...summary });
      return summary;
    } catch (err) {
      const message =
        `the mailbox ${mailbox.host}:${mailbox.port} could not be read: ${(err as Error).message}`.slice(
          0,
          500,
        );
      await recordMailboxRead(deps.sql, input.companyId, { error: message });
      throw ApplicationFailure.create({ type: 'MailboxUnreachable', message });
    }
  }
}

export type { MailboxReadInput, MailboxReadSummary };
export type MailboxActivities = ReturnType<typeof createMailboxActivities>;
