import { ImapFlow } from 'imapflow';

export interface MailboxConnection {
  /** The checked address to connect to, and the name TLS checks (mailbox-address.ts). */
  connectTo: string;
  servername: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  folder: string;
}

export interface ReadPlan {
  /** The folder's UIDVALIDITY when reading last; another value means the UIDs start over. */
  knownUidValidity: string | null;
  afterUid: number;
  maxMessages: number;
  maxMessageBytes: number;
  whenDone: 'move' | 'flag';
  doneFolder: string | null;
}

export interface FetchedMessage {
  uid: number;
  uidValidity: string;
  /** Undefined when the message is larger than `maxMessageBytes` (it is filed, not read). */
  source?: Buffer;
  size: number;
}

/** The keyword a read message gets when the company files by flag. */
export const PROCESSED_KEYWORD = 'FepaProcessed';

/**
 * Reads the messages that arrived after `afterUid`, oldest first, hands each to `handle`, then files it (moves
 * it, or flags it read and processed) before the next. `handled` is told each UID once it is filed, so a read
 * cut short resumes after the last filed message. IMAP errors (a mailbox down mid-read) throw.
 */
export async function readNewMessages(
  connection: MailboxConnection,
  plan: ReadPlan,
  handle: (message: FetchedMessage) => Promise<void>,
  handled: (uid: number, uidValidity: string) => Promise<void>,
): Promise<{ uidValidity: string; read: number; remaining: number }> {
  const client = new ImapFlow({
    host: connection.connectTo,
    servername: connection.servername,
    port: connection.port,
    secure: connection.secure,
    auth: { user: connection.user, pass: connection.password },
    logger: false,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const lock = await client.getMailboxLock(connection.folder);
    try {
      const mailbox = client.mailbox;
      const uidValidity = String(mailbox ? mailbox.uidValidity : 0);
      const after = plan.knownUidValidity === uidValidity ? plan.afterUid : 0;
      const found = await client.search({ uid: `${after + 1}:*` }, { uid: true });
      const uids = (found || []).filter((uid) => uid > after).sort((a, b) => a - b);
      const batch = uids.slice(0, plan.maxMessages);
      if (plan.whenDone === 'move' && plan.doneFolder && batch.length > 0)
        await client.mailboxCreate(plan.doneFolder).catch(() => undefined);
      for (const uid of batch) {
        const head = await client.fetchOne(String(uid), { size: true }, { uid: true });
        const size = head ? (head.size ?? 0) : 0;
        const full =
          size <= plan.maxMessageBytes
            ? await client.fetchOne(String(uid), { source: true }, { uid: true })
            : undefined;
        await handle({ uid, uidValidity, size, ...(full && full.source ? { source: full.source } : {}) });
        if (plan.whenDone === 'move' && plan.doneFolder)
          await client.messageMove(String(uid), plan.doneFolder, { uid: true });
        else await client.messageFlagsAdd(String(uid), ['\\Seen', PROCESSED_KEYWORD], { uid: true });
        await handled(uid, uidValidity);
      }
      return { uidValidity, read: batch.length, remaining: uids.length - batch.length };
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}
