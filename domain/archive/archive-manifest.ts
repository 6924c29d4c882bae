import { createHash } from 'node:crypto';

/**
 * What an archive holds (issue #28 §2, docs/books.md): per document its signed XML and what makes it
 * checkable (the CAFE and the PAC's authorization for issued documents, the DGI's confirmation for received
 * ones), an index for people (CSV) and a manifest for tools (this), with every file's SHA-256.
 */
export const ARCHIVE_FORMAT = 'fepa-archive/1';
export const MANIFEST_PATH = 'manifest.json';
export const INDEX_PATH = 'index.csv';

export interface ArchivedDocument {
  kind: 'issued' | 'received';
  cufe: string;
  docType: string;
  /** Issued: branch-pointOfSale-number; received: the supplier's pointOfSale-number. */
  number: string;
  /** Received: the supplier's RUC. */
  supplierRuc?: string;
  issuedAt: string | null;
  status: string;
  total: string | null;
  /** Paths inside the archive: `xml` always; `cafe` and `authorization` (issued), `confirmation` (received). */
  files: Record<string, string>;
}

export interface ArchiveFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  company: { id: string; ruc: string };
  environment: '1' | '2';
  period: string;
  createdAt: string;
  documents: ArchivedDocument[];
  /** Every file but the manifest itself, in the order written. */
  files: ArchiveFile[];
}

export const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

/** A document's folder: readable, unique within the archive, and free of anything a path could abuse. */
export function documentFolder(
  d: Pick<ArchivedDocument, 'kind' | 'docType' | 'number' | 'supplierRuc'>,
): string {
  const safe = (text: string) => text.replace(/[^0-9A-Za-z-]/g, '_');
  return d.kind === 'issued'
    ? `issued/${safe(d.docType)}-${safe(d.number)}`
    : `received/${safe(d.supplierRuc ?? 'unknown')}/${safe(d.docType)}-${safe(d.number)}`;
}

const INDEX_COLUMNS = [
  'kind',
  'doc_type',
  'number',
  'supplier_ruc',
  'issued_at',
  'status',
  'total',
  'cufe',
  'xml',
];

/** The index for people: one line per document. */
export function archiveIndexCsv(documents: readonly ArchivedDocument[]): string {
  const cell = (value: string | null | undefined) => {
    const text = value ?? '';
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = documents.map((d) =>
    [d.kind, d.docType, d.number, d.supplierRuc, d.issuedAt, d.status, d.total, d.cufe, d.files.xml]
      .map(cell)
      .join(','),
  );
  return [INDEX_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}
