// `fepa archive export|verify`: a month's archive for an auditor, downloaded through the API (FEPA_API_KEY),
// and checked offline (no API, no database): every hash, signature and CUFE.
import { readFile } from 'node:fs/promises';
import { apiBase, companyOf, downloadApi } from './api-call.js';
import { CliUsageError, type Command } from './command.js';

export const archiveCommand: Command = {
  name: 'archive',
  usage:
    'fepa archive export --period YYYY-MM --out archive.zip [--environment 1|2] [--company <id>] [--api <url>] | fepa archive verify <archive.zip> [--json]',
  summary: "A month's archive (signed XML, CAFE, authorizations, index, manifest) and its offline check.",
  options: {
    period: { type: 'string' },
    environment: { type: 'string' },
    out: { type: 'string' },
    company: { type: 'string' },
    api: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ args, values, out, err }) {
    const [sub, file, ...extra] = args;
    if (sub !== 'export' && sub !== 'verify') throw new CliUsageError('expected export or verify');
    if (extra.length) throw new CliUsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (sub === 'verify') {
      if (!file)
        throw new CliUsageError('fepa archive verify needs the archive: fepa archive verify <archive.zip>');
      const [{ zipEntries, ZipError }, { verifyArchive }] = await Promise.all([
        import('../../domain/zip/zip-entries.js'),
        import('../../domain/archive/verify-archive.js'),
      ]);
      let entries;
      try {
        entries = zipEntries(await readFile(file), {
          wanted: () => true,
          maxEntries: 10_000_000,
          maxInflatedBytes: 64 * 1024 ** 3,
        });
      } catch (e) {
        if (e instanceof ZipError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
          err(`fepa archive verify: ${file}: ${(e as Error).message}`);
          return 1;
        }
        throw e;
      }
      const report = verifyArchive(new Map(entries.map((e) => [e.name, e.content])));
      if (values.json) out(JSON.stringify(report, null, 2));
      else {
        out(
          `${file}: ${report.documents} document(s), ${report.files} file(s), ${report.signaturesChecked} signature(s) checked${report.period ? `, period ${report.period}` : ''}`,
        );
        for (const f of report.failures) out(`FAIL ${f.check.padEnd(9)} ${f.path}: ${f.message}`);
        out(report.ok ? 'OK: every hash, signature and CUFE checks' : `${report.failures.length} failure(s)`);
      }
      return report.ok ? 0 : 1;
    }
    if (file) throw new CliUsageError(`unexpected argument: ${file}`);
    if (typeof values.period !== 'string') throw new CliUsageError('give --period YYYY-MM');
    if (typeof values.out !== 'string') throw new CliUsageError('give --out <archive.zip>');
    const api = apiBase(values);
    const company = await companyOf('fepa archive export', values, api, err);
    if (typeof company === 'number') return company;
    const query = new URLSearchParams({ period: values.period });
    if (typeof values.environment === 'string') query.set('environment', values.environment);
    const url = `${api}/v1/companies/${encodeURIComponent(company)}/archive?${query.toString()}`;
    const done = await downloadApi('fepa archive export', url, values.out, err);
    if (!done.ok) return done.exitCode;
    out(`${values.out}: ${done.bytes} bytes; check it with: fepa archive verify ${values.out}`);
    return 0;
  },
};
