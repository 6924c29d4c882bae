import { readRfe } from '../dgi-document/index.js';
import { cufeFindings } from '../receiving/verify-received.js';
import { verifySignedRfe } from '../signing/verify-rfe.js';
import {
  ARCHIVE_FORMAT,
  archiveIndexCsv,
  INDEX_PATH,
  MANIFEST_PATH,
  sha256,
  type ArchiveManifest,
} from './archive-manifest.js';

export interface ArchiveFailure {
  /** The file inside the archive (or the manifest entry) that fails. */
  path: string;
  check: 'manifest' | 'hash' | 'missing' | 'unlisted' | 'signature' | 'cufe' | 'index';
  message: string;
}

export interface ArchiveReport {
  ok: boolean;
  period?: string;
  company?: ArchiveManifest['company'];
  documents: number;
  files: number;
  signaturesChecked: number;
  failures: ArchiveFailure[];
}

/**
 * Re-checks an archive offline (`fepa archive verify`): the manifest's every file is there with its
 * SHA-256 and nothing else is; every document's XML carries a valid XMLDSig over what it says, its CUFE is
 * the one listed and follows from its own fields; the index agrees with the manifest. Each failure names
 * the file. `files` are the archive's entries by path.
 */
export function verifyArchive(files: ReadonlyMap<string, Buffer>): ArchiveReport {
  const failures: ArchiveFailure[] = [];
  const report = (extra: Partial<ArchiveReport> = {}): ArchiveReport => ({
    ok: failures.length === 0,
    documents: 0,
    files: files.size,
    signaturesChecked: 0,
    failures,
    ...extra,
  });
  const raw = files.get(MANIFEST_PATH);
  if (!raw) {
    failures.push({ path: MANIFEST_PATH, check: 'missing', message: 'the archive has no manifest' });
    return report();
  }
  let manifest: ArchiveManifest;
  try {
    manifest = JSON.parse(raw.toString('utf8')) as ArchiveManifest;
  } catch (err) {
    failures.push({ path: MANIFEST_PATH, check: 'manifest', message: `not JSON: ${(err as Error).message}` });
    return report();
  }
  if (
    manifest.format !== ARCHIVE_FORMAT ||
    !Array.isArray(manifest.files) ||
    !Array.isArray(manifest.documents)
  ) {
    failures.push({ path: MANIFEST_PATH, check: 'manifest', message: `not a ${ARCHIVE_FORMAT} manifest` });
    return report();
  }

  const listed = new Set<string>();
  for (const file of manifest.files) {
    listed.add(file.path);
    const content = files.get(file.path);
    if (!content)
      failures.push({
        path: file.path,
        check: 'missing',
        message: 'listed in the manifest, not in the archive',
      });
    else if (sha256(content) !== file.sha256)
      failures.push({
        path: file.path,
        check: 'hash',
        message: `SHA-256 ${sha256(content)} is not the manifest's ${file.sha256}`,
      });
    else if (content.length !== file.bytes)
      failures.push({
        path: file.path,
        check: 'hash',
        message: `${content.length} bytes, the manifest says ${file.bytes}`,
      });
  }
  for (const path of files.keys())
    if (path !== MANIFEST_PATH && !listed.has(path))
      failures.push({ path, check: 'unlisted', message: 'in the archive but not in the manifest' });

  let signaturesChecked = 0;
  for (const doc of manifest.documents) {
    const path = doc.files?.xml;
    const content = path ? files.get(path) : undefined;
    if (!path || !content) continue; // already reported as missing
    const xml = content.toString('utf8');
    const signature = verifySignedRfe(xml);
    signaturesChecked++;
    if (!signature.ok) failures.push({ path, check: 'signature', message: signature.reason });
    const read = readRfe(xml);
    if (!read.ok) {
      failures.push({ path, check: 'cufe', message: 'the XML cannot be read as an rFE' });
      continue;
    }
    const cufe = read.document.dId ?? '';
    if (cufe !== doc.cufe)
      failures.push({
        path,
        check: 'cufe',
        message: `the XML's CUFE ${cufe || '(none)'} is not the listed ${doc.cufe}`,
      });
    for (const finding of cufeFindings(cufe, read.document))
      failures.push({ path, check: 'cufe', message: finding.message });
  }

  const index = files.get(INDEX_PATH);
  if (index && index.toString('utf8') !== archiveIndexCsv(manifest.documents))
    failures.push({
      path: INDEX_PATH,
      check: 'index',
      message: "the index does not list the manifest's documents",
    });

  return report({
    period: manifest.period,
    company: manifest.company,
    documents: manifest.documents.length,
    signaturesChecked,
  });
}
