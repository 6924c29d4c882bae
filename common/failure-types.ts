/**
 * Failure types that no retry can fix (a bad document, certificate, schema or PAC configuration): the
 * activities throw them, the workflow's retry policies list them as non-retryable. One list, both sides.
 */
export const NON_RETRYABLE_FAILURES = {
  validation: 'ValidationError',
  certificate: 'CertificateError',
  schema: 'SchemaError',
  pacConfiguration: 'PacConfigurationError',
  /** A contingency whose reason breaks the rules (72 hours without an explanation): a person gives one. */
  contingencyReason: 'ContingencyReasonNeeded',
} as const;

export const NON_RETRYABLE_FAILURE_TYPES: string[] = Object.values(NON_RETRYABLE_FAILURES);
