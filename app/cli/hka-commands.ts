import type { FolioView } from '../services/pac-account-service.js';
import { apiBase, callApi } from './api-call.js';
import { CliUsageError, type Command } from './command.js';

const companyOf = (values: Record<string, unknown>): string => {
  const company = values.company;
  if (typeof company !== 'string' || !company.trim()) throw new CliUsageError('--company is required');
  return encodeURIComponent(company);
};

/** `fepa ruc-lookup`: the DGI registry's answer for a RUC, through the company's HKA account. */
export const rucLookupCommand: Command = {
  name: 'ruc-lookup',
  usage: 'fepa ruc-lookup <RUC> --type 1|2 --company <id> [--api <url>] [--json]',
  summary: "Look up a RUC's DV, name and e-invoicing enrolment through the company's HKA account.",
  options: {
    type: { type: 'string' },
    company: { type: 'string' },
    api: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ args, values, out, err }) {
    if (args.length !== 1) throw new CliUsageError('give one RUC');
    const type = values.type;
    if (type !== '1' && type !== '2') throw new CliUsageError('--type must be 1 (natural) or 2 (juridical)');
    const url = `${apiBase(values)}/v1/companies/${companyOf(values)}/ruc/${encodeURIComponent(args[0]!)}?type=${type}`;
    const answer = await callApi('fepa ruc-lookup', { url }, err);
    if (!answer.ok) return answer.exitCode;
    const info = answer.body as { ruc: string; dv: string; name: string; enrolled: boolean; source: string };
    out(
      values.json
        ? JSON.stringify(info, null, 2)
        : `${info.ruc} DV ${info.dv}  ${info.name}\n${info.enrolled ? 'enrolled' : 'NOT enrolled'} in electronic invoicing (${info.source === 'cache' ? 'cached answer' : 'asked HKA'})`,
    );
    return 0;
  },
};

/** `fepa folios`: the company's prepaid HKA folios, as last read or read now. */
export const foliosCommand: Command = {
  name: 'folios',
  usage: 'fepa folios --company <id> [--check] [--api <url>] [--json]',
  summary: "Show an HKA company's prepaid folios (--check reads them from HKA now: an operator key).",
  options: {
    company: { type: 'string' },
    check: { type: 'boolean', default: false },
    api: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ args, values, out, err }) {
    if (args.length) throw new CliUsageError('no arguments besides the options');
    const base = `${apiBase(values)}/v1/companies/${companyOf(values)}/folios`;
    const answer = await callApi(
      'fepa folios',
      values.check ? { url: `${base}/check`, method: 'POST' } : { url: base },
      err,
    );
    if (!answer.ok) return answer.exitCode;
    const view = answer.body as FolioView;
    const latest = view.latest;
    out(
      values.json
        ? JSON.stringify(view, null, 2)
        : latest
          ? `${latest.available ?? '?'} folios left (read ${latest.readAt}, ${latest.reason}); alert under ${view.threshold}${view.low ? '\n! LOW: buy a new cycle from HKA' : ''}`
          : `no reading yet (alert under ${view.threshold}); run fepa folios --check`,
    );
    return 0;
  },
};
