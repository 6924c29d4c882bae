import { randomUUID } from 'node:crypto';
import { ArchiveService } from '../app/services/archive-service.js';
import { BooksService } from '../app/services/books-service.js';
import { taxLinesOf } from '../domain/books/tax-lines.js';
import { makeSelfSignedCertificate } from '../domain/certificates/self-signed-certificate.js';
import {
  buildQrUrl,
  computeRucDv,
  validateDocument,
  writeCanonicalRfe,
} from '../domain/dgi-document/index.js';
import { assembleSignedRfe, signCanonicalRfe } from '../domain/signing/sign-rfe.js';
import { createCompany } from '../platform/storage/company-store.js';
import { benchDatabase } from './bench-database.js';
import { invoiceWithItems } from './document-fixtures.js';

const MONTH_DOCUMENTS = 100_000;
const ARCHIVE_DOCUMENTS = 500;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Issue #28's figures: the sales book of a month of 100,000 documents (time and memory, from PostgreSQL to
 * the finished book and its CSV), and the archive export's throughput in documents per second (signed XML,
 * CAFE rendered, authorization, hashes, ZIP), on this machine.
 */
export async function benchBooks(): Promise<Record<string, unknown>> {
  const db = await benchDatabase();
  try {
    const ruc = '155596713-2-2015';
    const company = await createCompany(db.sql, {
      rucType: '2',
      ruc,
      dv: computeRucDv(ruc, '2'),
      name: 'EMPRESA DE BENCH, S.A.',
    });
    // A month of documents: mostly invoices, some notes, a few annulled, one to three rates each.
    const types = ['01', '01', '01', '01', '01', '01', '04', '05'];
    const rates = ['00', '01', '02', '03'];
    const started = Date.now();
    for (let batch = 0; batch < MONTH_DOCUMENTS / 5_000; batch++) {
      const rows = Array.from({ length: 5_000 }, (_, j) => {
        const i = batch * 5_000 + j;
        return {
          company_id: company.id,
          environment: 1,
          doc_type: types[i % types.length],
          branch: String((i % 4) + 1).padStart(4, '0'),
          point_of_sale: String((i % 3) + 1).padStart(3, '0'),
          number: String(i + 1).padStart(10, '0'),
          workflow_id: `bench-books-${randomUUID()}`,
          status: i % 97 === 0 ? 'annulled' : 'authorized',
          request_hash: 'bench',
          issued_at: new Date(Date.UTC(2026, 10, 1, 5) + (i % 29) * 86_400_000 + (i % 86_400) * 1_000),
          tax_lines: db.sql.json(
            rates.slice(0, (i % 3) + 1).map((rateCode, k) => ({
              rateCode,
              base: `${(i % 900) + k + 1}.${String(i % 100).padStart(2, '0')}`,
              tax: `${(i % 60) + k}.${String((i * 7) % 100).padStart(2, '0')}`,
            })),
          ),
        };
      });
      await db.sql`insert into documents ${db.sql(rows)}`;
    }
    const loadSeconds = (Date.now() - started) / 1000;
    await db.sql`analyze documents`;

    const books = new BooksService({ sql: db.sql });
    const runs: Array<{ seconds: number; heapGrowthMb: number }> = [];
    let rows = 0;
    let csvBytes = 0;
    let peakRssMb = 0;
    global.gc?.();
    const rssBeforeMb = mb(process.memoryUsage().rss);
    for (let run = 0; run < 3; run++) {
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, mb(process.memoryUsage().rss))), 20);
      const t0 = performance.now();
      const book = (await books.book(company.id, 'sales', '2026-11', '1'))!;
      csvBytes = Buffer.byteLength(books.csv(book));
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      rows = book.rows.length;
      runs.push({
        seconds: Math.round(seconds * 1000) / 1000,
        heapGrowthMb: mb(process.memoryUsage().heapUsed - heapBefore),
      });
      if (book.totals.documents !== MONTH_DOCUMENTS - Math.ceil(MONTH_DOCUMENTS / 97))
        throw new Error(`the book counted ${book.totals.documents} documents`);
    }

    // The archive: real signed documents (20 items each) with their CAFE, written to a discarding sink.
    const key = makeSelfSignedCertificate({ subject: [{ shortName: 'CN', value: 'BENCH' }] });
    const archiveCompany = await createCompany(db.sql, {
      rucType: '2',
      ruc: '8-123-4567',
      dv: computeRucDv('8-123-4567', '1'),
      name: 'ARCHIVO DE BENCH',
    });
    const signedRows = [];
    for (let i = 0; i < ARCHIVE_DOCUMENTS; i++) {
      const input = invoiceWithItems(20) as { gDGen: Record<string, unknown> };
      input.gDGen = {
        ...input.gDGen,
        dNroDF: String(i + 1).padStart(10, '0'),
        dFechaEm: '2026-11-15T10:00:00-05:00',
        gEmis: {
          ...(input.gDGen.gEmis as object),
          gRucEmi: { dTipoRuc: '1', dRuc: '8-123-4567', dDV: computeRucDv('8-123-4567', '1') },
        },
      };
      const valid = validateDocument(input);
      if (!valid.ok) throw new Error(JSON.stringify(valid.issues[0]));
      const canonical = writeCanonicalRfe(valid.document);
      const { signature, digestValue } = signCanonicalRfe(canonical, key);
      const signedXml = assembleSignedRfe(
        canonical,
        signature,
        buildQrUrl({
          cufe: valid.document.dId,
          iAmb: valid.document.gDGen.iAmb,
          digestValue,
          key: 'bench-qr-key',
        }),
      );
      signedRows.push({
        company_id: archiveCompany.id,
        environment: Number(valid.document.gDGen.iAmb),
        doc_type: '01',
        branch: valid.document.gDGen.gEmis.dSucEm,
        point_of_sale: valid.document.gDGen.dPtoFacDF,
        number: valid.document.gDGen.dNroDF,
        workflow_id: `bench-archive-${randomUUID()}`,
        status: 'authorized',
        request_hash: 'bench',
        cufe: valid.document.dId,
        signed_xml: signedXml,
        protocol: '20260000000000012345',
        authorized_at: '2026-11-15T10:00:05-05:00',
        pac: 'sandbox',
        issued_at: new Date(Date.UTC(2026, 10, 15, 15)),
        tax_lines: db.sql.json(taxLinesOf(valid.document) as never),
      });
    }
    await db.sql`insert into documents ${db.sql(signedRows)}`;
    const archives = new ArchiveService({ sql: db.sql });
    let zipBytes = 0;
    const t0 = performance.now();
    const summary = await archives.export(
      archiveCompany.id,
      '2026-11',
      String(signedRows[0]!.environment) as '1' | '2',
      (chunk) => {
        zipBytes += chunk.length;
        return Promise.resolve();
      },
    );
    const archiveSeconds = (performance.now() - t0) / 1000;
    return {
      salesBook: {
        documents: MONTH_DOCUMENTS,
        rowsInBook: rows,
        csvBytes,
        insertSeconds: loadSeconds,
        runs,
        rssBeforeMb,
        peakRssMb,
        note: 'one month of one company: PostgreSQL read (indexed by company, environment, issue date) to the finished book and its CSV',
      },
      archive: {
        documents: summary.documents,
        itemsPerDocument: 20,
        files: summary.files,
        zipMb: mb(zipBytes),
        seconds: Math.round(archiveSeconds * 100) / 100,
        documentsPerSecond: Math.round(summary.documents / archiveSeconds),
        withoutCafe: summary.withoutCafe.length,
        note: 'signed XML, CAFE rendered (pdfkit, QR), authorization JSON, SHA-256 of each, deflated into the ZIP; the sink discards',
      },
    };
  } finally {
    await db.drop();
  }
}
