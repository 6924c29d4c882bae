import type { Role } from '../platform/access/roles.js';
import { makeSandboxP12 } from '../domain/certificates/sandbox-certificate.js';
import { computeRucDv } from '../domain/dgi-document/index.js';
import { ApiKeyService } from '../app/services/api-key-service.js';
import type { CertificateService } from '../app/services/certificate-service.js';
import { createCompany, type Company } from '../platform/storage/company-store.js';
import type { Sql } from '../platform/storage/database.js';

/**
 * A juridical company for a bench, with an API key of `role` and, when `certificates` is given, a
 * sandbox signing certificate for its RUC.
 */
export async function createBenchCompany(
  sql: Sql,
  options: { ruc: string; name: string; role: Role; certificates?: CertificateService },
): Promise<{ company: Company; key: string }> {
  const company = await createCompany(sql, {
    rucType: '2',
    ruc: options.ruc,
    dv: computeRucDv(options.ruc, '2'),
    name: options.name,
  });
  await options.certificates?.upload(
    company.id,
    makeSandboxP12({ ruc: options.ruc, name: options.name, password: 'bench' }),
    'bench',
  );
  const { key } = await new ApiKeyService(sql).create({
    companyId: company.id,
    role: options.role,
    name: 'bench',
  });
  return { company, key };
}
