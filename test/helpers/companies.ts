import { randomInt } from 'node:crypto';
import { computeCufe, computeRucDv, parseCufe } from '../../domain/dgi-document/index.js';
import { createCompany, type Company } from '../../platform/storage/company-store.js';
import type { Sql } from '../../platform/storage/database.js';
import type { SecretBox } from '../../platform/secrets/secret-box.js';

/** A fictitious juridical RUC with a valid DV, different in every test. */
export function randomJuridicalRuc(): { ruc: string; dv: string } {
  const ruc = `${randomInt(100_000_000, 999_999_999)}-2-20${randomInt(10, 26)}`;
  return { ruc, dv: computeRucDv(ruc, '2') };
}

export async function createTestCompany(sql: Sql, name = 'EMPRESA DE PRUEBA, S.A.'): Promise<Company> {
  const { ruc, dv } = randomJuridicalRuc();
  return createCompany(sql, { rucType: '2', ruc, dv, name });
}

/** An example document re-addressed to a test company as its emitter. */
export function documentFor(
  company: Company,
  example: Record<string, any>,
  number: string,
): Record<string, any> {
  const doc = structuredClone(example);
  const emitter = { dTipoRuc: company.rucType, dRuc: company.ruc, dDV: company.dv };
  doc.gDGen.gEmis.gRucEmi = emitter;
  doc.gDGen.dNroDF = number;
  delete doc.gDGen.dSeg;
  // A note references its own emitter's invoices: the referenced CUFE is re-made for this company.
  for (const ref of doc.gDGen.gDFRef ?? []) {
    const cufe = ref.gDFRefNum?.gDFRefFE?.dCUFERef as string | undefined;
    const parsed = cufe ? parseCufe(cufe) : undefined;
    if (!parsed?.ok) continue;
    ref.gRucEmDFRef = emitter;
    ref.gDFRefNum.gDFRefFE.dCUFERef = computeCufe({ ...parsed.fields, ...emitter });
  }
  return doc;
}

/**
 * A test company with an active signing certificate for its RUC, sealed with the test master key (or with
 * `box`, for processes started with a master key of their own).
 */
export async function createCompanyWithCertificate(sql: Sql, box?: SecretBox): Promise<Company> {
  const { CertificateService } = await import('../../app/services/certificate-service.js');
  const { makeCertificate, makeKeyPair, makeP12 } = await import('./p12-factory.js');
  const sealing = box ?? (await import('./test-api.js')).testSecretBox;
  const company = await createTestCompany(sql);
  const keys = makeKeyPair();
  const p12 = makeP12({
    keyPem: keys.privateKeyPem,
    certificatesPem: [makeCertificate({ keys, commonName: `${company.name} ${company.ruc}` })],
    password: 'pw',
  });
  await new CertificateService(sql, sealing, 30).upload(company.id, p12, 'pw');
  return company;
}
