// `fepa received …`: suppliers' documents from a terminal, through the API with FEPA_API_KEY. Text for people,
// --json for scripts.
import { readFile, writeFile } from 'node:fs/promises';
import type { MailboxReadSummary, PacInboxSummary } from '../../common/mailbox.js';
import type { ReceivedRow } from '../../platform/storage/received-store.js';
import { apiBase, callApi, companyOf } from './api-call.js';
import { CliUsageError, type Command } from './command.js';

const SUBCOMMANDS = ['list', 'show', 'post', 'manifest', 'xml', 'cafe', 'read-mail', 'pull'];

const line = (r: ReceivedRow) =>
  `${r.id}  ${r.status.padEnd(11)} ${r.docType} ${r.supplierRuc.padEnd(20)} ${r.pointOfSale}-${r.number}  ${r.total.padStart(12)}  ${r.issuedAt ?? ''}  ${r.sources.join('+')}`;

function describe(r: ReceivedRow & { live?: { reason?: string } | null }): string {
  const lines = [
    `received   ${r.id}`,
    `status     ${r.status}${r.live?.reason ? ` (${r.live.reason})` : ''}`,
    `supplier   ${r.supplierRuc} ${r.supplierName}`,
    `document   ${r.docType} ${r.pointOfSale}-${r.number} · total ${r.total} · ITBMS ${r.itbms} · issued ${r.issuedAt ?? '?'}`,
    `CUFE       ${r.cufe}`,
    `came by    ${r.sources.join(', ')}`,
  ];
  if (r.dgi)
    lines.push(
      `DGI        ${r.dgi.answer}${r.dgi.protocol ? ` · protocol ${r.dgi.protocol}` : ''}${r.dgi.message ? ` · ${r.dgi.message}` : ''} (${r.dgi.checkedAt})`,
    );
  if (r.manifestation)
    lines.push(
      `manifest   ${r.manifestation.code} ${r.manifestation.status}${r.manifestation.message ? `: ${r.manifestation.message}` : ''} (${r.manifestation.actor})`,
    );
  const findings = r.report?.findings ?? [];
  if (r.report)
    lines.push(
      `checks     ${r.report.verdict}: ${findings.filter((f) => f.severity === 'error').length} error(s), ${findings.filter((f) => f.severity === 'note').length} note(s)`,
    );
  for (const f of findings)
    lines.push(
      `  ${f.severity === 'error' ? 'ERROR' : 'note '} ${f.check.padEnd(11)} ${f.path}: ${f.message} (${f.rule})`,
    );
  return lines.join('\n');
}

export const receivedCommand: Command = {
  name: 'received',
  usage:
    'fepa received list|show|post|manifest|xml|cafe|read-mail|pull [<id|CUFE|file.xml>] [--status --supplier --type --period YYYY-MM --limit] [--code 1001…1005 --reason …] [--out file] [--company <id>] [--api <url>] [--json]',
  summary: "Suppliers' documents: receive, verify, confirm with the DGI, manifest (FEPA_API_KEY).",
  options: {
    status: { type: 'string' },
    supplier: { type: 'string' },
    type: { type: 'string' },
    period: { type: 'string' },
    limit: { type: 'string' },
    code: { type: 'string' },
    reason: { type: 'string' },
    actor: { type: 'string' },
    out: { type: 'string' },
    company: { type: 'string' },
    api: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ args, values, out, err }) {
    const [sub, ref, ...extra] = args;
    if (!sub || !SUBCOMMANDS.includes(sub))
      throw new CliUsageError(`expected one of: ${SUBCOMMANDS.join(', ')}`);
    if (extra.length) throw new CliUsageError(`unexpected arguments: ${extra.join(' ')}`);
    const what = `fepa received ${sub}`;
    const api = apiBase(values);
    const company = await companyOf(what, values, api, err);
    if (typeof company === 'number') return company;
    const base = `${api}/v1/companies/${encodeURIComponent(company)}`;
    const print = (body: unknown, text: string) => out(values.json ? JSON.stringify(body, null, 2) : text);

    if (sub === 'list') {
      const query = new URLSearchParams();
      for (const name of ['status', 'supplier', 'type', 'period', 'limit'] as const)
        if (typeof values[name] === 'string') query.set(name, values[name]);
      const listed = await callApi(
        what,
        { url: `${base}/received${query.size ? `?${query.toString()}` : ''}` },
        err,
      );
      if (!listed.ok) return listed.exitCode;
      const items = (listed.body as { items: ReceivedRow[] }).items;
      print(listed.body, items.length ? items.map(line).join('\n') : 'no received documents');
      return 0;
    }
    if (sub === 'read-mail') {
      const read = await callApi(what, { url: `${base}/mailbox/read`, body: {} }, err);
      if (!read.ok) return read.exitCode;
      const r = read.body as MailboxReadSummary;
      print(
        read.body,
        r.error
          ? `the mailbox was not read: ${r.error}`
          : `${r.messages} message(s): ${r.documents} document(s) (${r.newDocuments} new), ${r.refused} refused, ${r.skipped} part(s) skipped${r.remaining ? `; ${r.remaining} message(s) left for the next read` : ''}`,
      );
      return r.error ? 1 : 0;
    }
    if (sub === 'pull') {
      const pulled = await callApi(what, { url: `${base}/received/pull`, body: {} }, err);
      if (!pulled.ok) return pulled.exitCode;
      const r = pulled.body as PacInboxSummary;
      print(
        pulled.body,
        r.offered && !r.message
          ? `${r.documents} document(s) from the PAC (${r.newDocuments} new), ${r.refused} refused`
          : (r.message ?? 'not offered'),
      );
      return r.offered && !r.message ? 0 : 1;
    }
    if (!ref)
      throw new CliUsageError(
        `${what} needs ${sub === 'post' ? 'the XML file' : 'a received document: its id or CUFE'}`,
      );
    if (sub === 'post') {
      let xml: string;
      try {
        xml = await readFile(ref, 'utf8');
      } catch (e) {
        throw new CliUsageError(`cannot read ${ref}: ${(e as Error).message}`);
      }
      const posted = await callApi(what, { url: `${base}/received`, xml }, err);
      if (!posted.ok) return posted.exitCode;
      const row = posted.body as ReceivedRow;
      print(
        posted.body,
        `${row.id}  ${row.status}  CUFE ${row.cufe}  (fepa verifies it and asks the DGI; \`fepa received show ${row.id}\`)`,
      );
      return 0;
    }
    const doc = `${base}/received/${encodeURIComponent(ref)}`;
    if (sub === 'show') {
      const shown = await callApi(what, { url: doc }, err);
      if (!shown.ok) return shown.exitCode;
      print(shown.body, describe(shown.body as ReceivedRow));
      return 0;
    }
    if (sub === 'xml' || sub === 'cafe') {
      const got = await callApi(what, { url: `${doc}/${sub}`, bytes: true }, err);
      if (!got.ok) return got.exitCode;
      if (typeof values.out === 'string') await writeFile(values.out, got.body as Buffer);
      else if (sub === 'cafe' && process.stdout.isTTY)
        throw new CliUsageError('the CAFE is a PDF: give --out <file>');
      else process.stdout.write(got.body as Buffer);
      return 0;
    }
    if (typeof values.code !== 'string') throw new CliUsageError('manifest needs --code (1001 to 1005)');
    const done = await callApi(
      what,
      {
        url: `${doc}/manifest`,
        body: {
          code: values.code,
          actor: (values.actor as string | undefined) ?? process.env.USER ?? 'fepa-cli',
          ...(typeof values.reason === 'string' ? { reason: values.reason } : {}),
        },
      },
      err,
    );
    if (!done.ok) return done.exitCode;
    const m = (done.body as { manifestation?: { code: string; status: string; message?: string } })
      .manifestation;
    print(done.body, `manifestation ${m?.code}: ${m?.status}${m?.message ? ` (${m.message})` : ''}`);
    return m?.status === 'accepted' ? 0 : 1;
  },
};
