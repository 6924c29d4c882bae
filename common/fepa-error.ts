/**
 * Every error fepa throws on purpose: a stable machine-readable `code` (for logs, API problems and
 * workflow failure details), a message for people, the original as `cause`. The class name is the
 * Temporal failure type (common/failure-types.ts lists the ones no retry can fix).
 */
export class FepaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The company's PAC settings cannot work (missing credentials): no retry helps, support must act. */
export class PacConfigurationError extends FepaError {
  static missingCredentials = (what: string) => new PacConfigurationError('PAC_CREDENTIALS_MISSING', what);
}

/** fepa asked a PAC adapter for something the PAC does not do that way (a programming error). */
export class PacRequestError extends FepaError {
  static unsupported = (why: string) => new PacRequestError('PAC_REQUEST_UNSUPPORTED', why);
}

/** A document the caller names is not in storage (or not in the state the step needs). */
export class DocumentStoreError extends FepaError {
  static notFound = (documentId: string) =>
    new DocumentStoreError('DOCUMENT_NOT_FOUND', `document ${documentId} does not exist`);
  static notPrepared = (documentId: string) =>
    new DocumentStoreError('DOCUMENT_NOT_PREPARED', `document ${documentId} is not prepared yet`);
}
