/** How a script of steps plays out for one submission (see SimRule.script). */
export type TransportStep =
  | { kind: 'http-500' }
  | { kind: 'token-expires-now' }
  | { kind: 'lose-reply' }
  | { kind: 'hang'; ms: number }
  | { kind: 'malformed'; form: 'html' | 'empty' | 'json' };

export type OutcomeStep =
  | { kind: 'authorized' }
  | { kind: 'pending' }
  | { kind: 'reject'; code: string }
  | { kind: 'edoc-state'; state: string }
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
    case 'reject':
      if (!arg || !/^[0-9]{4}$/.test(arg))
        throw new ScenarioError(`"${text}": reject needs a 4-digit DGI code, e.g. reject:1601`);
      return { kind: 'reject', code: arg };
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
  abort?: { kind: 'http-500' } | { kind: 'token-expires-now' };
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
      case 'duplicate':
        plan.outcome = step;
        plan.remaining = script.slice(i + 1);
        return plan;
    }
  }
  return plan;
}
