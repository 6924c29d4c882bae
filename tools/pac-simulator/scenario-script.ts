/** How a script of steps plays out for one submission (see SimRule.script). */
export type TransportStep =
  | { kind: 'http-500' }
  | { kind: 'token-expires-now' }
  /** The PAC refuses with its own code and takes nothing (HKA 201 without CUFE, 300, 119…). */
  | { kind: 'refuse'; code: string }
  | { kind: 'lose-reply' }
  | { kind: 'hang'; ms: number }
  | { kind: 'malformed'; form: 'html' | 'empty' | 'json' };

export type OutcomeStep =
  | { kind: 'authorized' }
  | { kind: 'pending' }
  /** One or more DGI codes (`reject:2007+2152`). */
  | { kind: 'reject'; code: string; more?: string[] }
  | { kind: 'edoc-state'; state: string }
  /** Taken and authorized, but answered with this PAC code (HKA's ambiguous 201/202 with a CUFE). */
  | { kind: 'pac-code'; code: string }
  | { kind: 'duplicate' };

export type Step = TransportStep | OutcomeStep;

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

export function parseStep(text: string): Step {
  const [name, arg] = text.split(':') as [string, string | undefined];
  switch (name) {
    case 'authorized':
    case 'pending':
    case 'duplicate':
    case 'http-500':
    case 'token-expires-now':
    case 'lose-reply':
      return { kind: name };
    case 'reject': {
      if (!arg || !/^[0-9]{4}(\+[0-9]{4})*$/.test(arg))
        throw new ScenarioError(
          `"${text}": reject needs 4-digit DGI codes, e.g. reject:1601 or reject:2007+2152`,
        );
      const [code, ...more] = arg.split('+') as [string, ...string[]];
      return more.length ? { kind: 'reject', code, more } : { kind: 'reject', code };
    }
    case 'refuse':
    case 'pac-code':
      if (!arg || !/^[0-9]{3}$/.test(arg))
        throw new ScenarioError(`"${text}": ${name} needs a 3-digit PAC code, e.g. ${name}:201`);
      return { kind: name, code: arg };
    case 'edoc-state':
      if (!arg || !/^[0-9]{1,2}$/.test(arg))
        throw new ScenarioError(`"${text}": edoc-state needs a state number, e.g. edoc-state:4`);
      return { kind: 'edoc-state', state: arg };
    case 'hang': {
      const ms = Number(arg);
      if (!Number.isInteger(ms) || ms < 0 || ms > 600_000)
        throw new ScenarioError(`"${text}": hang needs milliseconds, e.g. hang:40000`);
      return { kind: 'hang', ms };
    }
    case 'malformed':
      if (arg !== 'html' && arg !== 'empty' && arg !== 'json')
        throw new ScenarioError(`"${text}": malformed:html, malformed:empty or malformed:json`);
      return { kind: 'malformed', form: arg };
    default:
      throw new ScenarioError(`unknown step "${text}"`);
  }
}

export interface SubmissionPlan {
  /** Answer before anything is stored (the PAC never took the document). */
  abort?: { kind: 'http-500' } | { kind: 'token-expires-now' } | { kind: 'refuse'; code: string };
  /** Steps that apply to the next submission of the same document, after an abort. */
  leftover: string[];
  delayMs: number;
  /** How the answer is delivered after the document is stored. */
  delivery: 'normal' | 'lose-reply' | 'malformed:html' | 'malformed:empty' | 'malformed:json';
  outcome: OutcomeStep;
  /** What the next status queries see (for a pending document). */
  remaining: string[];
}

/** Reads a script for one submission: transport effects first, then the outcome and what follows. */
export function planSubmission(script: string[]): SubmissionPlan {
  const plan: SubmissionPlan = {
    leftover: [],
    delayMs: 0,
    delivery: 'normal',
    outcome: { kind: 'authorized' },
    remaining: [],
  };
  for (let i = 0; i < script.length; i++) {
    const step = parseStep(script[i]!);
    switch (step.kind) {
      case 'http-500':
      case 'token-expires-now':
      case 'refuse':
        plan.abort = step;
        plan.leftover = script.slice(i + 1);
        return plan;
      case 'hang':
        plan.delayMs += step.ms;
        break;
      case 'lose-reply':
        plan.delivery = 'lose-reply';
        break;
      case 'malformed':
        plan.delivery = `malformed:${step.form}`;
        break;
      case 'authorized':
      case 'pending':
      case 'reject':
      case 'edoc-state':
      case 'pac-code':
      case 'duplicate':
        plan.outcome = step;
        plan.remaining = script.slice(i + 1);
        return plan;
    }
  }
  return plan;
}
