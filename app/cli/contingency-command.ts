import type { ContingencyView } from '../services/contingency-service.js';
import { apiBase, callApi } from './api-call.js';
import { CliUsageError, type Command } from './command.js';

const ACTIONS = ['status', 'start', 'end', 'explain'] as const;
type Action = (typeof ACTIONS)[number];

/** What a contingency view looks like to a person at a terminal. */
function describe(view: ContingencyView): string {
  const lines = [`company ${view.companyId} · environment ${view.environment}`];
  const c = view.contingency;
  if (!c) lines.push('no contingency open');
  else {
    lines.push(
      `CONTINGENCY OPEN ${c.id}`,
      `  since      ${c.since} (opened by ${c.openedBy})`,
      `  reason     ${c.reason}`,
      ...(c.explanation ? [`  explanation ${c.explanation}`] : []),
      ...(c.needsExplanation ? ['  ! over 72 hours: give an explanation (fepa contingency explain)'] : []),
      `  documents  ${c.issued} issued, ${c.toTransmit} to transmit, ${c.waitingForPerson} waiting for a person`,
      ...(c.workflow?.lastProbe
        ? [
            `  last probe ${c.workflow.lastProbe.at}: ${c.workflow.lastProbe.answered ? 'PAC answered' : 'no answer'}`,
          ]
        : []),
    );
  }
  const r = view.reachability;
  lines.push(
    `PAC: ${r.consecutiveFailures ? `${r.consecutiveFailures} calls without an answer since ${r.failingSince}` : 'answering'}`,
  );
  const last = view.lastEnded;
  if (last) {
    // Its documents are transmitted after the end: count them as they are now, not as recorded at the end.
    const sent = last.issued - last.toTransmit - last.waitingForPerson;
    lines.push(
      `last ended: ${last.id} ${last.since} → ${last.endedAt}: ${last.issued} issued, ${sent} transmitted` +
        (last.toTransmit ? `, ${last.toTransmit} being transmitted now` : '') +
        (last.waitingForPerson ? `, ${last.waitingForPerson} waiting for a person` : ''),
    );
  }
  return lines.join('\n');
}

const need = (values: Record<string, unknown>, name: string): string => {
  const v = values[name];
  if (typeof v !== 'string' || !v.trim()) throw new CliUsageError(`--${name} is required`);
  return v;
};

/**
 * `fepa contingency`: an operator's view of the company's contingency, through the API (so the key's role
 * decides, as it does for every client). The key comes from FEPA_API_KEY, never from the command line.
 */
export const contingencyCommand: Command = {
  name: 'contingency',
  usage:
    'fepa contingency status|start|end|explain --company <id> [--environment 1|2] [--reason …] [--since …] [--explanation …] [--actor …] [--end-when-pac-answers] [--api <url>] [--json]',
  summary: "Open, end, explain or show a company's contingency (FEPA_API_KEY: an operator key).",
  options: {
    company: { type: 'string' },
    environment: { type: 'string', default: '1' },
    reason: { type: 'string' },
    since: { type: 'string' },
    explanation: { type: 'string' },
    actor: { type: 'string' },
    'end-when-pac-answers': { type: 'boolean', default: false },
    api: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ args, values, out, err }) {
    const action = args[0] as Action;
    if (args.length !== 1 || !ACTIONS.includes(action))
      throw new CliUsageError(`expected one of: ${ACTIONS.join(', ')}`);
    const company = need(values, 'company');
    const environment = String(values.environment);
    if (environment !== '1' && environment !== '2') throw new CliUsageError('--environment must be 1 or 2');
    const api = apiBase(values);
    const actor = (values.actor as string | undefined) ?? process.env.USER ?? 'cli';
    const base = `${api}/v1/companies/${encodeURIComponent(company)}/contingency`;
    const request: { url: string; body?: unknown } =
      action === 'status'
        ? { url: `${base}?environment=${environment}` }
        : action === 'start'
          ? {
              url: base,
              body: {
                environment,
                actor,
                reason: need(values, 'reason'),
                ...(values.since ? { since: values.since } : {}),
                endWhenPacAnswers: values['end-when-pac-answers'] === true,
              },
            }
          : action === 'end'
            ? { url: `${base}/end`, body: { environment, actor } }
            : {
                url: `${base}/explanation`,
                body: { environment, actor, explanation: need(values, 'explanation') },
              };
    const answer = await callApi(`fepa contingency ${action}`, request, err);
    if (!answer.ok) return answer.exitCode;
    const { body } = answer;
    out(values.json ? JSON.stringify(body, null, 2) : describe(body as ContingencyView));
    return 0;
  },
};
