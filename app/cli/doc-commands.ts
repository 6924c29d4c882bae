// `fepa doc …`: support's view of documents from a terminal, through the API with FEPA_API_KEY (the key's role
// decides what it may do, as for every client). Text for people, --json for scripts.
import { writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { nextStep } from '../../common/document-guidance.js';
import type { DocumentState } from '../../common/document-lifecycle.js';
import type { ErpReference } from '../../common/erp-reference.js';
import { apiBase, callApi, companyOf } from './api-call.js';
import { CliUsageError, type Command, type CommandContext } from './command.js';

const SUBCOMMANDS = [
  'list',
  'show',
  'xml',
  'cafe',
  'submit',
  'resubmit',
  'correct',
  'cancel',
  'annul',
  'retry-all',
];

interface Row {
  id: string;
  status: string;
  docType: string;
  branch: string;
  pointOfSale: string;
  number: string;
  cufe: string | null;
  total: string | null;
  protocol: string | null;
  pac: string | null;
  lastPacCode: string | null;
  createdAt: string;
  erp?: ErpReference | null;
}

interface Detail extends Row {
  state?: DocumentState;
  stateUnavailable?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lists the documents of the key's company, newest first, with the filters the API takes. */
function listQuery(values: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const name of ['status', 'type', 'number', 'cufe', 'erp', 'from', 'to', 'limit'] as const) {
    const value = values[name];
    if (typeof value === 'string' && value) query.set(name, value);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

const erpLine = (erp: ErpReference) =>
  [
    erp.uniqueCode && `code ${erp.uniqueCode}`,
    erp.documentCode && `document ${erp.documentCode}`,
    erp.user && `user ${erp.user}`,
    erp.responsibleEmail && `responsible ${erp.responsibleEmail}`,
    erp.integration && `integration ${erp.integration}`,
    erp.free?.length && `free ${erp.free.join(' | ')}`,
  ]
    .filter(Boolean)
    .join(' · ');

const line = (r: Row) =>
  `${r.id}  ${r.status.padEnd(21)} ${r.docType} ${r.branch}-${r.pointOfSale}-${r.number}  ${r.total ?? ''}  ${r.createdAt}${r.erp?.uniqueCode ? `  erp ${r.erp.uniqueCode}` : ''}`;

function describe(d: Detail): string {
  const s = d.state;
  const lines = [
    `document   ${d.id}`,
    `status     ${d.status}`,
    `number     ${d.docType} ${d.branch}-${d.pointOfSale}-${d.number}${d.total ? ` · total ${d.total}` : ''}`,
    ...(d.erp ? [`ERP        ${erpLine(d.erp)}`] : []),
    `CUFE       ${d.cufe ?? '(not yet)'}`,
    ...(d.protocol ? [`protocol   ${d.protocol}`] : []),
    ...(s?.lastPac
      ? [
          `PAC said   ${s.lastPac.status}${s.lastPac.code ? ` (${s.lastPac.code})` : ''}${s.lastPac.message ? `: ${s.lastPac.message}` : ''}`,
        ]
      : d.pac
        ? [`PAC        ${d.pac}${d.lastPacCode ? ` (last code ${d.lastPacCode})` : ''}`]
        : []),
    ...(s?.dgiIssues?.length
      ? [`DGI        ${s.dgiIssues.map((i) => `${i.code} ${i.message}`).join('; ')}`]
      : []),
    ...(s?.needsPerson
      ? [`needs      ${s.needsPerson.reason}${s.needsPerson.code ? ` (${s.needsPerson.code})` : ''}`]
      : []),
    `next       ${nextStep({ status: d.status as DocumentState['status'], needsPerson: s?.needsPerson })}`,
    ...(d.stateUnavailable ? [`(live state unavailable: ${d.stateUnavailable})`] : []),
  ];
  if (s?.history?.length) {
    lines.push('history');
    for (const h of s.history)
      lines.push(`  ${h.at}  ${h.status.padEnd(21)} ${h.actor}${h.note ? `: ${h.note}` : ''}`);
  }
  return lines.join('\n');
}

/**
 * A document named by its id, its CUFE, its number (a number in several types: ask for --type) or, failing
 * those, its ERP unique code.
 */
async function findDocument(ctx: CommandContext, base: string, ref: string): Promise<string | number> {
  if (UUID.test(ref)) return ref;
  const filter =
    /^FE[0-9]{2}/.test(ref) && ref.length === 66
      ? `cufe=${encodeURIComponent(ref)}`
      : /^[0-9]{1,10}$/.test(ref)
        ? `number=${ref}${typeof ctx.values.type === 'string' ? `&type=${ctx.values.type}` : ''}`
        : `erp=${encodeURIComponent(ref)}`;
  let found = await callApi('fepa doc', { url: `${base}/documents?${filter}&limit=10` }, ctx.err);
  if (!found.ok) return found.exitCode;
  let items = (found.body as { items: Row[] }).items;
  if (items.length === 0 && filter.startsWith('number=')) {
    // An ERP's codes may be digits too.
    found = await callApi('fepa doc', { url: `${base}/documents?erp=${ref}&limit=10` }, ctx.err);
    if (!found.ok) return found.exitCode;
    items = (found.body as { items: Row[] }).items;
  }
  if (items.length === 1) return items[0]!.id;
  if (items.length === 0) {
    ctx.err(`fepa doc: no document matches ${ref} (an id, a CUFE, a number or an ERP code)`);
    return 1;
  }
  ctx.err(
    `fepa doc: ${items.length} documents match ${ref}; give its id or --type:\n${items.map(line).join('\n')}`,
  );
  return 1;
}

const actor = (values: Record<string, unknown>) =>
  (values.actor as string | undefined) ?? process.env.USER ?? 'fepa-cli';

export const docCommand: Command = {
  name: 'doc',
  usage:
    'fepa doc list|show|xml|cafe|submit|resubmit|correct|cancel|annul|retry-all [<id|CUFE|number|ERP code>] [--status --type --number --cufe --erp --from --to --limit] [--reason …] [--file fixed.json] [--out file] [--format roll|roll58|letter] [--provisional] [--company <id>] [--api <url>] [--json]',
  summary: "Find, read and act on documents (FEPA_API_KEY: the company's key; actions need an operator key).",
  options: {
    status: { type: 'string' },
    type: { type: 'string' },
    number: { type: 'string' },
    cufe: { type: 'string' },
    erp: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    reason: { type: 'string' },
    actor: { type: 'string' },
    file: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    provisional: { type: 'boolean', default: false },
    company: { type: 'string' },
    api: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run(ctx) {
    const { args, values, out, err } = ctx;
    const [sub, ref, ...extra] = args;
    if (!sub || !SUBCOMMANDS.includes(sub))
      throw new CliUsageError(`expected one of: ${SUBCOMMANDS.join(', ')}`);
    if (extra.length) throw new CliUsageError(`unexpected arguments: ${extra.join(' ')}`);
    const api = apiBase(values);
    const company = await companyOf('fepa doc', values, api, err);
    if (typeof company === 'number') return company;
    const base = `${api}/v1/companies/${encodeURIComponent(company)}`;
    const print = (body: unknown, text: string) => out(values.json ? JSON.stringify(body, null, 2) : text);

    if (sub === 'list') {
      const listed = await callApi('fepa doc list', { url: `${base}/documents${listQuery(values)}` }, err);
      if (!listed.ok) return listed.exitCode;
      const items = (listed.body as { items: Row[] }).items;
      print(listed.body, items.length ? items.map(line).join('\n') : 'no documents');
      return 0;
    }
    if (sub === 'retry-all') {
      const done = await callApi(
        'fepa doc retry-all',
        {
          url: `${base}/documents/retry-all`,
          body: { actor: actor(values), ...(values.reason ? { reason: values.reason } : {}) },
        },
        err,
      );
      if (!done.ok) return done.exitCode;
      print(done.body, JSON.stringify(done.body));
      return 0;
    }
    if (!ref) throw new CliUsageError(`fepa doc ${sub} needs a document: its id, CUFE, number or ERP code`);
    const id = await findDocument(ctx, base, ref);
    if (typeof id === 'number') return id;
    const doc = `${base}/documents/${encodeURIComponent(id)}`;

    if (sub === 'show') {
      const shown = await callApi('fepa doc show', { url: doc }, err);
      if (!shown.ok) return shown.exitCode;
      print(shown.body, describe(shown.body as Detail));
      return 0;
    }
    if (sub === 'xml' || sub === 'cafe') {
      const query = new URLSearchParams();
      if (typeof values.format === 'string') query.set('format', values.format);
      if (values.provisional) query.set('provisional', 'true');
      const url = sub === 'xml' ? `${doc}/xml` : `${doc}/cafe${query.size ? `?${query.toString()}` : ''}`;
      const got = await callApi(`fepa doc ${sub}`, { url, bytes: true }, err);
      if (!got.ok) return got.exitCode;
      const bytes = got.body as Buffer;
      if (typeof values.out === 'string') await writeFile(values.out, bytes);
      else if (sub === 'cafe' && process.stdout.isTTY)
        throw new CliUsageError('the CAFE is a PDF: give --out <file> (or redirect stdout)');
      else process.stdout.write(bytes);
      return 0;
    }
    const body: Record<string, unknown> = { actor: actor(values) };
    if (values.reason) body.reason = values.reason;
    if (sub === 'annul' && !values.reason)
      throw new CliUsageError('annul needs --reason (15 to 500 characters)');
    if (sub === 'correct') {
      if (typeof values.file !== 'string')
        throw new CliUsageError('correct needs --file <corrected document.json>');
      try {
        body.document = JSON.parse(await readFile(values.file, 'utf8'));
      } catch (e) {
        throw new CliUsageError(`cannot read ${values.file} as JSON: ${(e as Error).message}`);
      }
    }
    const acted = await callApi(`fepa doc ${sub}`, { url: `${doc}/${sub}`, body }, err);
    if (!acted.ok) return acted.exitCode;
    const result = acted.body as { status: string; state?: DocumentState };
    print(
      acted.body,
      `${sub}: done; the document is ${result.status}${result.state ? `\nnext: ${nextStep(result.state)}` : ''}`,
    );
    return 0;
  },
};
