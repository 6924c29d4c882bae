import { RECEIVED_LIMITS } from './received-limits.js';
import { ZipError, zipEntries } from '../zip/zip-entries.js';

export interface MailAttachment {
  filename?: string | undefined;
  contentType: string;
  content: Buffer;
}

/** One XML found in a message (an attachment, or an entry of a ZIP attachment). */
export interface FoundDocument {
  source: string;
  xml: string;
}

/** Something in the message that was not taken, and why (kept in the mailbox's log). */
export interface SkippedPart {
  source: string;
  reason: string;
}

const isXmlName = (name: string) => /\.xml$/i.test(name);
const isXml = (a: MailAttachment) => isXmlName(a.filename ?? '') || /[/+]xml\b/i.test(a.contentType);
const isZip = (a: MailAttachment) =>
  /\.zip$/i.test(a.filename ?? '') || /application\/(x-)?zip(-compressed)?/i.test(a.contentType);
const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(source: string, content: Buffer): FoundDocument | SkippedPart {
  if (content.length > RECEIVED_LIMITS.documentBytes)
    return { source, reason: `${content.length} bytes, more than ${RECEIVED_LIMITS.documentBytes}` };
  try {
    return { source, xml: utf8.decode(content).replace(/^\uFEFF/, '') };
  } catch {
    return { source, reason: 'not UTF-8 text' };
  }
}

/**
 * The XML documents a supplier's e-mail carries: XML attachments and XML files inside ZIP attachments
 * (the CAFE PDF and anything else are left alone), at most `documentsPerMessage`, each within the size limit.
 */
export function documentsInMail(attachments: MailAttachment[]): {
  found: FoundDocument[];
  skipped: SkippedPart[];
} {
  const found: FoundDocument[] = [];
  const skipped: SkippedPart[] = [];
  const take = (part: FoundDocument | SkippedPart) => {
    if ('reason' in part) skipped.push(part);
    else if (found.length >= RECEIVED_LIMITS.documentsPerMessage)
      skipped.push({
        source: part.source,
        reason: `more than ${RECEIVED_LIMITS.documentsPerMessage} documents in one message`,
      });
    else found.push(part);
  };
  for (const [i, attachment] of attachments.entries()) {
    const name = attachment.filename ?? `attachment-${i + 1}`;
    if (isZip(attachment)) {
      try {
        for (const entry of zipEntries(attachment.content, {
          wanted: isXmlName,
          maxEntries: RECEIVED_LIMITS.zipEntries,
          maxInflatedBytes: RECEIVED_LIMITS.zipInflatedBytes,
        }))
          take(asText(`${name}/${entry.name}`, entry.content));
      } catch (err) {
        if (!(err instanceof ZipError)) throw err;
        skipped.push({ source: name, reason: err.message });
      }
    } else if (isXml(attachment)) take(asText(name, attachment.content));
  }
  return { found, skipped };
}
