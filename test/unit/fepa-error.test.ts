import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CertificateError } from '../../domain/certificates/certificate-error.js';
import { NON_RETRYABLE_FAILURE_TYPES } from '../../common/failure-types.js';
import { DocumentStoreError, FepaError, PacConfigurationError } from '../../common/fepa-error.js';
import { CufeError } from '../../domain/dgi-document/cufe.js';

describe('one error model', () => {
  it('gives every error a stable code, its class name as the failure type, and keeps the cause', () => {
    const cause = new Error('connection reset');
    const err = new FepaError('SOMETHING', 'it failed', { cause });
    assert.equal(err.name, 'FepaError');
    assert.equal(err.cause, cause);
    const missing = PacConfigurationError.missingCredentials('eDoc needs a user and a password');
    assert.deepEqual(
      [missing.name, missing.code, missing instanceof FepaError],
      ['PacConfigurationError', 'PAC_CREDENTIALS_MISSING', true],
    );
    assert.equal(DocumentStoreError.notFound('d-1').code, 'DOCUMENT_NOT_FOUND');
    assert.equal(new CufeError('bad').name, 'CufeError');
    const certificate = new CertificateError('missing');
    assert.deepEqual([certificate.name, certificate.code], ['CertificateError', 'missing']);
  });

  it('lists the failures no retry can fix by the names the errors carry', () => {
    for (const name of ['PacConfigurationError', 'CertificateError'])
      assert.ok(NON_RETRYABLE_FAILURE_TYPES.includes(name), name);
  });
});
