// `fepa books sales|purchases --period YYYY-MM`: the month's ITBMS book through the API (FEPA_API_KEY), as a
// table for people, --csv for a spreadsheet, --json for scripts.
import type { BookView } from '../services/books-service.js';
import { apiBase, callApi, companyOf } from './api-call.js';
import { CliUsageError, type Command } from './command.js';

const KINDS = ['sales', 'purchases'];

function table(book: BookView): string {
  const group = (g: Record<string, string>) =>
    book.kind === 'sales'
      ? `${g.branch}-${g.pointOfSale}`
      : `${g.supplierRuc} ${g.supplierName ?? ''}`.trim();
  const lines = [
    `${book.kind === 'sales' ? 'Sales' : 'Purchases'} book ${book.period} (environment ${book.environment}): ${book.totals.documents} document(s)`,
    `type  ${book.kind === 'sales' ? 'branch-pos' : 'supplier'.padEnd(30)}  rate  docs          base           tax`,
    ...book.rows.map(
      (r) =>
        `${r.docType}    ${group(r.group).padEnd(book.kind === 'sales' ? 10 : 30)}  ${r.rate.padStart(4)}  ${String(r.documents).padStart(4)}  ${r.base.padStart(12)}  ${r.tax.padStart(12)}`,
    ),
    ...book.totals.byRate.map((r) => `total at ${r.rate.padStart(4)}: base ${r.base}, ITBMS ${r.tax}`),
    `total: base ${book.totals.base}, ITBMS ${book.totals.tax}`,
  ];
  const excluded = Object.entries(book.excluded);
  if (excluded.length) lines.push(`left out: ${excluded.map(([why, n]) => `${n} ${why}`).join(', ')}`);
  if (book.unreadable.length) lines.push(`unreadable (not counted): ${book.unreadable.join(', ')}`);
  return lines.join('\n');
}

export const booksCommand: Command = {
  name: 'books',
  usage:
    'fepa books sales|purchases --period YYYY-MM [--environment 1|2] [--csv | --json] [--out file] [--company <id>] [--api <url>]',
  summary: "The month's ITBMS book: sales (issued, authorized) or purchases (received, accepted).",
  options: {
    period: { type: 'string' },
    environment: { type: 'string' },
    csv: { type: 'boolean', default: false },
    out: { type: 'string' },
    company: { type: 'string' },
    api: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ args, values, out, err }) {
    const [kind, ...extra] = args;
    if (!kind || !KINDS.includes(kind)) throw new CliUsageError(`expected one of: ${KINDS.join(', ')}`);
    if (extra.length) throw new CliUsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (typeof values.period !== 'string') throw new CliUsageError('give --period YYYY-MM');
    const what = `fepa books ${kind}`;
    const api = apiBase(values);
    const company = await companyOf(what, values, api, err);
    if (typeof company === 'number') return company;
    const query = new URLSearchParams({ period: values.period });
    if (typeof values.environment === 'string') query.set('environment', values.environment);
    if (values.csv) query.set('format', 'csv');
    const url = `${api}/v1/companies/${encodeURIComponent(company)}/books/${kind}?${query.toString()}`;
    const got = await callApi(what, { url, bytes: Boolean(values.csv) }, err);
    if (!got.ok) return got.exitCode;
    const text = values.csv
      ? (got.body as Buffer).toString('utf8')
      : values.json
        ? JSON.stringify(got.body, null, 2)
        : table(got.body as BookView);
    if (typeof values.out === 'string') {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(values.out, values.csv ? text : `${text}\n`);
    } else out(text.replace(/\r?\n$/, ''));
    return 0;
  },
};
