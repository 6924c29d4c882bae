/**
 * What fepa reads from a supplier, at most: one place for the intake's limits (API, mailbox, PAC inbox).
 * A signed 500-item rFE is about 200 KB; 2 MiB leaves room for 5,000 items and long descriptions.
 */
export const RECEIVED_LIMITS = {
  /** Bytes of one received XML document. */
  documentBytes: 2 * 1024 * 1024,
  /** XML documents taken from one e-mail (attachments and ZIP entries together). */
  documentsPerMessage: 50,
  /** Bytes of one e-mail as fetched from the mailbox. */
  messageBytes: 25 * 1024 * 1024,
  /** Bytes a ZIP attachment may inflate to, in all. */
  zipInflatedBytes: 50 * 1024 * 1024,
  /** Entries looked at in one ZIP. */
  zipEntries: 200,
} as const;
