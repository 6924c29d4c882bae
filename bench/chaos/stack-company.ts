import { SecretBox } from '../../platform/secrets/secret-box.js';
import { CertificateService } from '../../app/services/certificate-service.js';
import { createBenchCompany } from '../bench-company.js';
import type { ChaosStack } from './chaos-stack.js';

/** A company on a process stack, with its sandbox certificate sealed by the stack's key and an integrator key. */
export function stackCompany(stack: ChaosStack, ruc: string, name: string) {
  return createBenchCompany(stack.sql, {
    ruc,
    name,
    role: 'integrator',
    certificates: new CertificateService(stack.sql, new SecretBox([stack.masterKey]), 30),
  });
}
