// The checks a person does on a printed document, by independent tools (Debian poppler-utils, zbar-tools):
// render each page to an image, read its QR from the image, extract its text, measure its pages.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function withPdf<T>(pdf: Buffer, fn: (dir: string, file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fepa-pdf-'));
  try {
    await writeFile(join(dir, 'doc.pdf'), pdf);
    return await fn(dir, join(dir, 'doc.pdf'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every QR code `zbarimg` decodes from the pages, rendered at `dpi` by `pdftoppm` (raw bytes, one per code). */
export async function decodeQrCodes(pdf: Buffer, dpi = 200): Promise<string[]> {
  return withPdf(pdf, async (dir, file) => {
    await run('pdftoppm', ['-r', String(dpi), '-png', file, join(dir, 'page')]);
    const codes: string[] = [];
    for (const png of (await readdir(dir)).filter((f) => f.endsWith('.png')).sort()) {
      try {
        const { stdout } = await run('zbarimg', ['--quiet', '--raw', '-Sbinary', join(dir, png)], {
          encoding: 'buffer',
          maxBuffer: 1 << 20,
        });
        // --raw with -Sbinary: the code's bytes as they are (some zbar versions add a newline).
        if (stdout.length) codes.push(stdout.toString('utf8').replace(/\n$/, ''));
      } catch (err) {
        // zbarimg exits 4 when a page has no code: that page simply adds none.
        if ((err as { code?: number }).code !== 4) throw err;
      }
    }
    return codes;
  });
}

/** The text of every page, as `pdftotext -layout` reads it. */
export async function pdfText(pdf: Buffer): Promise<string> {
  return withPdf(pdf, async (_dir, file) => (await run('pdftotext', ['-layout', file, '-'])).stdout);
}

/** Page sizes in millimetres, from `pdfinfo`. */
export async function pdfPageSizesMm(pdf: Buffer): Promise<Array<{ width: number; height: number }>> {
  return withPdf(pdf, async (_dir, file) => {
    const { stdout } = await run('pdfinfo', ['-f', '1', '-l', '999', file]);
    return [...stdout.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => ({
      width: (Number(m[1]) * 25.4) / 72,
      height: (Number(m[2]) * 25.4) / 72,
    }));
  });
}
