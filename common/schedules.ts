/** Schedule ids are fixed, so registering at every worker start is idempotent. */
export const CERTIFICATE_EXPIRY_SCHEDULE_ID = 'fepa-certificate-expiry-watch';
export const HKA_FOLIO_WATCH_SCHEDULE_ID = 'fepa-hka-folio-watch';
