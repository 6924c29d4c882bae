import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  ARCHIVE_FORMAT,
  archiveIndexCsv,
  documentFolder,
  INDEX_PATH,
  MANIFEST_PATH,
  sha256,
  type ArchivedDocument,
  type ArchiveManifest,
} from '../../../domain/archive/archive-manifest.js';
import { verifyArchive } from '../../../domain/archive/verify-archive.js';
import { validateDocument } from '../../../domain/dgi-document/index.js';
import { zipEntries } from '../../../domain/zip/zip-entries.js';
import { ZipWriter } from '../../../domain/zip/zip-writer.js';
import { loadExample, signForTests } from '../../helpers/dgi-fixtures.js';
import { tempDir } from '../../helpers/temp-dir.js';

const run = promisify(execFile);

/** A ZIP of `files`, in memory, through fepa's writer. */
async function zipOf(files: Array<[string, Buffer]>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const zip = new ZipWriter((chunk) => {
    chunks.push(chunk);
    return Promise.resolve();
  });
  for (const [name, content] of files) await zip.add(name, content);
  await zip.finish();
  return Buffer.concat(chunks);
}

const read = (zip: Buffer) =>
  new Map(
    zipEntries(zip, { wanted: () => true, maxEntries: 1_000_000, maxInflatedBytes: 1024 ** 3 }).map((e) => [
      e.name,
      e.content,
    ]),
  );

describe("fepa's ZIP writer, read back by unzip and by fepa's reader", () => {
  it('small, large and incompressible files come back byte for byte; unzip -t agrees', async () => {
    const random = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
    const files: Array<[string, Buffer]> = [
      ['a.txt', Buffer.from('hola')],
      ['dir/ñandú.xml', Buffer.from('<a>'.repeat(10_000))],
      ['bin/random.bin', random],
      ['empty', Buffer.alloc(0)],
    ];
    const zip = await zipOf(files);
    const back = read(zip);
    for (const [name, content] of files) assert.deepEqual(back.get(name), content, name);
    const dir = await tempDir('fepa-zip-');
    await writeFile(join(dir, 'a.zip'), zip);
    const { stdout } = await run('unzip', ['-t', join(dir, 'a.zip')]);
    assert.match(stdout, /No errors detected/);
  });

  it('past 65,535 entries it writes ZIP64 records, which unzip and the reader both follow', async () => {
    const count = 70_000;
    const files = Array.from({ length: count }, (_, i): [string, Buffer] => [
      `f/${i}`,
      Buffer.from(String(i)),
    ]);
    const zip = await zipOf(files);
    assert.equal(zip.readUInt16LE(zip.length - 22 + 10), 0xffff, 'the classic record points to ZIP64');
    const back = read(zip);
    assert.equal(back.size, count);
    assert.equal(back.get('f/69999')?.toString(), '69999');
    const dir = await tempDir('fepa-zip64-');
    await writeFile(join(dir, 'big.zip'), zip);
    const { stdout } = await run('unzip', ['-l', join(dir, 'big.zip')], { maxBuffer: 64 * 1024 ** 2 });
    assert.match(stdout, new RegExp(`\\s${count} files`));
  });
});

describe('an archive re-checked offline (domain/archive/verify-archive.ts)', () => {
  async function archive(): Promise<Map<string, Buffer>> {
    const documents: ArchivedDocument[] = [];
    const files: Array<[string, Buffer]> = [];
    for (const [i, name] of ['invoice-spec-example.json', 'credit-note.json'].entries()) {
      const example = await loadExample(name);
      example.gDGen.dNroDF = String(100 + i).padStart(10, '0');
      delete example.gDGen.dSeg;
      const valid = validateDocument(example);
      assert.ok(valid.ok);
      const doc: ArchivedDocument = {
        kind: 'issued',
        cufe: valid.document.dId,
        docType: valid.document.gDGen.iDoc,
        number: `0001-001-${valid.document.gDGen.dNroDF}`,
        issuedAt: valid.document.gDGen.dFechaEm,
        status: 'authorized',
        total: valid.document.gTot.dVTot ?? null,
        files: {},
      };
      doc.files.xml = `${documentFolder(doc)}/rfe.xml`;
      files.push([doc.files.xml, Buffer.from(signForTests(valid.document).xml)]);
      documents.push(doc);
    }
    files.push([INDEX_PATH, Buffer.from(archiveIndexCsv(documents))]);
    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT,
      company: { id: 'c', ruc: '155596713-2-2015' },
      environment: '2',
      period: '2026-11',
      createdAt: new Date().toISOString(),
      documents,
      files: files.map(([path, content]) => ({ path, sha256: sha256(content), bytes: content.length })),
    };
    files.push([MANIFEST_PATH, Buffer.from(JSON.stringify(manifest))]);
    return read(await zipOf(files));
  }

  const xmlPath = (files: Map<string, Buffer>) => [...files.keys()].find((p) => p.endsWith('rfe.xml'))!;

  it('a sound archive: every hash, signature and CUFE checks', async () => {
    const report = verifyArchive(await archive());
    assert.deepEqual(report.failures, []);
    assert.equal(report.documents, 2);
    assert.equal(report.signaturesChecked, 2);
  });

  it('a changed amount is caught by its hash, and by its signature once the hash is forged, naming the file', async () => {
    const files = await archive();
    const path = xmlPath(files);
    const tampered = Buffer.from(
      files
        .get(path)!
        .toString()
        .replace(/<dVTot>([0-9.]+)</, '<dVTot>9$1<'),
    );
    assert.notDeepEqual(tampered, files.get(path));
    files.set(path, tampered);
    const byHash = verifyArchive(files);
    assert.deepEqual(
      byHash.failures.map((f) => [f.check, f.path]),
      [
        ['hash', path],
        ['signature', path],
      ],
    );
    // The manifest rewritten to the tampered bytes' hash: the signature still says no.
    const manifest = JSON.parse(files.get(MANIFEST_PATH)!.toString()) as ArchiveManifest;
    for (const f of manifest.files)
      if (f.path === path) Object.assign(f, { sha256: sha256(tampered), bytes: tampered.length });
    files.set(MANIFEST_PATH, Buffer.from(JSON.stringify(manifest)));
    const bySignature = verifyArchive(files);
    assert.deepEqual(
      bySignature.failures.map((f) => [f.check, f.path]),
      [['signature', path]],
    );
  });

  it('a missing file, an extra one and an edited index are each named', async () => {
    const files = await archive();
    const path = xmlPath(files);
    files.delete(path);
    files.set('issued/extra.txt', Buffer.from('x'));
    files.set(INDEX_PATH, Buffer.from('kind\r\n'));
    const report = verifyArchive(files);
    const seen = report.failures.map((f) => `${f.check} ${f.path}`);
    assert.ok(seen.includes(`missing ${path}`), seen.join('; '));
    assert.ok(seen.includes('unlisted issued/extra.txt'), seen.join('; '));
    assert.ok(seen.includes(`hash ${INDEX_PATH}`) && seen.includes(`index ${INDEX_PATH}`), seen.join('; '));
    assert.equal(report.ok, false);
  });

  it('no manifest, or not one of ours: said so', async () => {
    const files = await archive();
    files.delete(MANIFEST_PATH);
    assert.equal(verifyArchive(files).failures[0]?.check, 'missing');
    files.set(MANIFEST_PATH, Buffer.from('{"format":"other"}'));
    assert.match(verifyArchive(files).failures[0]?.message ?? '', /not a fepa-archive\/1 manifest/);
  });
});
