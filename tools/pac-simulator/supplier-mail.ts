import { deflateRawSync } from 'node:zlib';
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

export interface MailboxAddress {
  host: string;
  port: number;
  secure?: boolean | undefined;
  user: string;
  password: string;
  folder?: string | undefined;
}

/** A minimal ZIP (deflated entries, no ZIP64) as a supplier's mail program makes one. */
export function zipOf(files: Array<{ name: string; content: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const data = deflateRawSync(file.content);
    const crc = crc32(file.content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(file.content.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(file.content.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A supplier's e-mail with its documents, put into the receiver's mailbox over IMAP (APPEND), as the
 * receiver's mail server would after delivery: the XML attached (or zipped), with a CAFE placeholder PDF.
 */
export async function deliverSupplierMail(
  mailbox: MailboxAddress,
  mail: {
    from: string;
    to: string;
    subject: string;
    documents: Array<{ name: string; xml: string }>;
    zip?: boolean;
  },
): Promise<{ uid?: number }> {
  const xmlFiles = mail.documents.map((d) => ({ name: d.name, content: Buffer.from(d.xml, 'utf8') }));
  const attachments = mail.zip
    ? [{ filename: 'documentos.zip', content: zipOf(xmlFiles), contentType: 'application/zip' }]
    : xmlFiles.map((f) => ({ filename: f.name, content: f.content, contentType: 'application/xml' }));
  attachments.push({
    filename: 'CAFE.pdf',
    content: Buffer.from('%PDF-1.4\n% simulated CAFE\n%%EOF\n'),
    contentType: 'application/pdf',
  });
  const message = await new MailComposer({
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: 'Adjuntamos su factura electrónica.',
    attachments,
  })
    .compile()
    .build();
  const client = new ImapFlow({
    host: mailbox.host,
    port: mailbox.port,
    secure: mailbox.secure ?? false,
    auth: { user: mailbox.user, pass: mailbox.password },
    logger: false,
  });
  await client.connect();
  try {
    const appended = await client.append(mailbox.folder ?? 'INBOX', message);
    return appended && appended.uid !== undefined ? { uid: appended.uid } : {};
  } finally {
    await client.logout().catch(() => undefined);
  }
}
