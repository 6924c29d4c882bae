import { readFile } from 'node:fs/promises';
import { validateDocument, writeRfeDocument, type DocumentIssue } from '../../domain/dgi-document/index.js';
import { LINE_DECIMALS, type LineDecimals } from '../../domain/dgi-document/rounding.js';
import { CliUsageError, onlyArgument, type Command } from './command.js';

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliUsageError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

function describeIssue(issue: DocumentIssue): string {
  const field = issue.field ? ` (${issue.field})` : '';
  const value = issue.value === undefined ? '' : ` [value: ${JSON.stringify(issue.value)}]`;
  return `  ${issue.path}${field}: ${issue.message} — rule ${issue.rule}${value}`;
}

/**
 * The document as the commands validate it: `--seg` fixes dSeg (and with it the CUFE), so `validate` and
 * `build` of the same input agree. Without it, `build` draws dSeg and `validate` prints no CUFE.
 */
async function readDocument(args: string[], seg: unknown): Promise<{ input: unknown; hasSeg: boolean }> {
  const input = await readJson(onlyArgument(args, 'document file'));
  const gDGen = (input as { gDGen?: Record<string, unknown> } | null)?.gDGen;
  if (typeof seg === 'string') {
    if (!gDGen || typeof gDGen !== 'object') return { input, hasSeg: true };
    const given = gDGen.dSeg;
    if ((typeof given === 'string' || typeof given === 'number') && String(given) !== seg)
      throw new CliUsageError(`--seg ${seg} differs from the document's gDGen.dSeg ${given}`);
    return { input: { ...(input as object), gDGen: { ...gDGen, dSeg: seg } }, hasSeg: true };
  }
  return { input, hasSeg: gDGen?.dSeg !== undefined };
}

const segOption = { seg: { type: 'string' }, 'line-decimals': { type: 'string' } } as const;

/** `--line-decimals 2|6`: the seller's convention for computed item amounts (rounding.ts). */
function lineDecimalsOf(values: Record<string, unknown>): LineDecimals | undefined {
  const given = values['line-decimals'];
  if (given === undefined) return undefined;
  const decimals = Number(given);
  if (!LINE_DECIMALS.includes(decimals as LineDecimals))
    throw new CliUsageError('--line-decimals must be 2 (amounts rounded per line) or 6');
  return decimals as LineDecimals;
}

export const validateCommand: Command = {
  name: 'validate',
  usage: 'fepa validate <document.json> [--seg <9 digits>] [--line-decimals 2|6]',
  summary: 'Check a document against the DGI format, its rules and its arithmetic; print every issue.',
  options: segOption,
  async run({ args, values, out, err }) {
    const { input, hasSeg } = await readDocument(args, values.seg);
    const result = validateDocument(input, { lineDecimals: lineDecimalsOf(values) });
    if (!result.ok) {
      err(`${result.issues.length} issue(s):\n${result.issues.map(describeIssue).join('\n')}`);
      return 1;
    }
    const d = result.document;
    const cufe = hasSeg
      ? `CUFE ${d.dId}`
      : 'CUFE assigned at build time (dSeg is drawn then; pass --seg or set gDGen.dSeg to fix it now)';
    out(`valid: iDoc ${d.gDGen.iDoc} number ${d.gDGen.dNroDF}, total ${d.gTot.dVTot}, ${cufe}`);
    return 0;
  },
};

export const buildCommand: Command = {
  name: 'build',
  usage: 'fepa build <document.json> [--seg <9 digits>] [--line-decimals 2|6]',
  summary: 'Print the unsigned rFE XML of a valid document (exit 1 and the issues otherwise).',
  options: segOption,
  async run({ args, values, out, err }) {
    const { input } = await readDocument(args, values.seg);
    const result = validateDocument(input, { lineDecimals: lineDecimalsOf(values) });
    if (!result.ok) {
      err(`${result.issues.length} issue(s):\n${result.issues.map(describeIssue).join('\n')}`);
      return 1;
    }
    out(writeRfeDocument(result.document));
    return 0;
  },
};
