/** Schedule ids are fixed, so registering at every worker start is idempotent. */
export const CERTIFICATE_EXPIRY_SCHEDULE_ID = 'fepa-certificate-expiry-watch';
export const HKA_FOLIO_WATCH_SCHEDULE_ID = 'fepa-hka-folio-watch';
/** Each company's mailbox read (receiving): one schedule per company. */
export const mailboxScheduleId = (companyId: string) => `fepa-mailbox-${companyId}`;
