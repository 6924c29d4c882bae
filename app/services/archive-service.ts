import {
  ARCHIVE_FORMAT,
  archiveIndexCsv,
  documentFolder,
  INDEX_PATH,
  MANIFEST_PATH,
  sha256,
  type ArchivedDocument,
  type ArchiveFile,
  type ArchiveManifest,
} from '../../domain/archive/archive-manifest.js';
import { cafeModel } from '../../domain/cafe/cafe-model.js';
import { formatOfSignedXml, renderCafe } from '../../domain/cafe/render-cafe.js';
import { panamaMonth } from '../../domain/dgi-document/panama-time.js';
import { ZipWriter } from '../../domain/zip/zip-writer.js';
import { issuedForArchive, receivedForArchive } from '../../platform/storage/archive-store.js';
import { findCompany } from '../../platform/storage/company-store.js';
import type { Sql } from '../../platform/storage/database.js';

export interface ArchiveSummary {
  documents: number;
  files: number;
  bytes: number;
  /** Documents whose CAFE could not be printed (their XML and authorization are still in). */
  withoutCafe: string[];
}

/**
 * A month's archive for an auditor (docs/books.md): every issued document the DGI knows (authorized or
 * annulled) with its signed XML, CAFE and the PAC's authorization answer; every received document the DGI
 * confirmed with its XML and the confirmation; an index and a manifest with each file's SHA-256. Written
 * as a ZIP straight to `write`, a batch of documents at a time.
 */
export class ArchiveService {
  constructor(private readonly deps: { sql: Sql; pacLegends?: Partial<Record<string, string>> }) {}

  async exists(companyId: string): Promise<boolean> {
    return (await findCompany(this.deps.sql, companyId)) !== undefined;
  }

  async export(
    companyId: string,
    period: string,
    environment: '1' | '2',
    write: (chunk: Buffer) => Promise<void>,
  ): Promise<ArchiveSummary> {
    const company = await findCompany(this.deps.sql, companyId);
    if (!company) throw new Error(`company ${companyId} not found`);
    const { from, to } = panamaMonth(period);
    const window = { companyId, environment, from, to };
    const zip = new ZipWriter(write);
    const files: ArchiveFile[] = [];
    const documents: ArchivedDocument[] = [];
    const withoutCafe: string[] = [];
    const add = async (path: string, content: Buffer) => {
      await zip.add(path, content);
      files.push({ path, sha256: sha256(content), bytes: content.length });
    };
    const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

    for await (const batch of issuedForArchive(this.deps.sql, window))
      for (const d of batch) {
        const doc: ArchivedDocument = {
          kind: 'issued',
          cufe: d.cufe,
          docType: d.docType,
          number: `${d.branch}-${d.pointOfSale}-${d.number}`,
          issuedAt: d.issuedAt,
          status: d.status,
          total: d.total,
          files: {},
        };
        const folder = documentFolder(doc);
        doc.files.xml = `${folder}/rfe.xml`;
        await add(doc.files.xml, Buffer.from(d.signedXml, 'utf8'));
        const pdf = await this.cafe(d.signedXml, d);
        if (pdf) {
          doc.files.cafe = `${folder}/cafe.pdf`;
          await add(doc.files.cafe, pdf);
        } else withoutCafe.push(d.id);
        doc.files.authorization = `${folder}/authorization.json`;
        await add(
          doc.files.authorization,
          json({
            cufe: d.cufe,
            status: d.status,
            pac: d.pac,
            protocol: d.protocol,
            authorizedAt: d.authorizedAt,
            answer: d.authorization,
          }),
        );
        documents.push(doc);
      }

    for await (const batch of receivedForArchive(this.deps.sql, window))
      for (const r of batch) {
        const doc: ArchivedDocument = {
          kind: 'received',
          cufe: r.cufe,
          docType: r.docType,
          number: `${r.pointOfSale}-${r.number}`,
          supplierRuc: r.supplierRuc,
          issuedAt: r.issuedAt,
          status: r.status,
          total: r.total,
          files: {},
        };
        const folder = documentFolder(doc);
        doc.files.xml = `${folder}/rfe.xml`;
        await add(doc.files.xml, Buffer.from(r.xml, 'utf8'));
        doc.files.confirmation = `${folder}/dgi-confirmation.json`;
        await add(doc.files.confirmation, json({ cufe: r.cufe, status: r.status, dgi: r.dgi }));
        documents.push(doc);
      }

    await add(INDEX_PATH, Buffer.from(archiveIndexCsv(documents), 'utf8'));
    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT,
      company: { id: company.id, ruc: company.ruc },
      environment,
      period,
      createdAt: new Date().toISOString(),
      documents,
      files,
    };
    await zip.add(MANIFEST_PATH, json(manifest));
    const done = await zip.finish();
    return { documents: documents.length, files: done.entries, bytes: done.bytes, withoutCafe };
  }

  private async cafe(
    signedXml: string,
    d: { protocol: string | null; authorizedAt: string | null; pac: string | null },
  ): Promise<Buffer | undefined> {
    try {
      const model = cafeModel(signedXml, {
        protocol: d.protocol ?? undefined,
        authorizedAt: d.authorizedAt ?? undefined,
        pacLegend: d.pac ? this.deps.pacLegends?.[d.pac] : undefined,
      });
      return await renderCafe(model, formatOfSignedXml(signedXml));
    } catch {
      return undefined; // named in the summary and the log; the XML and authorization are archived anyway
    }
  }
}
