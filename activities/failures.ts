import { ApplicationFailure } from '@temporalio/activity';
import { CertificateError } from '../domain/certificates/certificate-error.js';
import type { DocumentIssue } from '../domain/dgi-document/index.js';
import { NON_RETRYABLE_FAILURES } from '../common/failure-types.js';

/**
 * Failures the workflow never retries (common/failure-types.ts). Messages and details carry no
 * secrets: certificate errors are written for people, issues are public.
 */

export function validationFailure(issues: DocumentIssue[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: NON_RETRYABLE_FAILURES.validation,
    message: `the document has ${issues.length} issue(s); first: ${issues[0]?.path} ${issues[0]?.message}`,
    nonRetryable: true,
    details: [issues],
  });
}

export function certificateFailure(err: CertificateError): ApplicationFailure {
  return ApplicationFailure.create({
    type: NON_RETRYABLE_FAILURES.certificate,
    message: `${err.code}: ${err.message}`,
    nonRetryable: true,
    details: [{ code: err.code }],
  });
}

export function schemaFailure(errors: string[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: NON_RETRYABLE_FAILURES.schema,
    message: `the signed document fails the DGI schema: ${errors[0]}`,
    nonRetryable: true,
    details: [errors.slice(0, 20)],
  });
}

export function contingencyReasonFailure(why: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: NON_RETRYABLE_FAILURES.contingencyReason,
    message: why,
    nonRetryable: true,
  });
}

/** Runs `fn`, turning known domain errors into typed, non-retryable failures. */
export async function withTypedFailures<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CertificateError) throw certificateFailure(err);
    throw err;
  }
}
