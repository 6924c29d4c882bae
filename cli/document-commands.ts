import { readFile } from 'node:fs/promises';
import {
  computeRucDv,
  parseCufe,
  validateDocument,
  writeRfeDocument,
  type DocumentIssue,
} from '../dgi-document/index.js';
import { RucFormatError, type RucType } from '../dgi-document/ruc-check-digit.js';
import { CliUsageError, type Command } from './command.js';

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

const onlyArgument = (args: string[], what: string): string => {
  if (args.length !== 1) throw new CliUsageError(`expected exactly one ${what}`);
  return args[0]!;
};

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

const segOption = { seg: { type: 'string' } } as const;

export const validateCommand: Command = {
  name: 'validate',
  usage: 'fepa validate <document.json> [--seg <9 digits>]',
  summary: 'Check a document against the DGI format, its rules and its arithmetic; print every issue.',
  options: segOption,
  async run({ args, values, out, err }) {
    const { input, hasSeg } = await readDocument(args, values.seg);
    const result = validateDocument(input);
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
  usage: 'fepa build <document.json> [--seg <9 digits>]',
  summary: 'Print the unsigned rFE XML of a valid document (exit 1 and the issues otherwise).',
  options: segOption,
  async run({ args, values, out, err }) {
    const { input } = await readDocument(args, values.seg);
    const result = validateDocument(input);
    if (!result.ok) {
      err(`${result.issues.length} issue(s):\n${result.issues.map(describeIssue).join('\n')}`);
      return 1;
    }
    out(writeRfeDocument(result.document));
    return 0;
  },
};

export const cufeCommand: Command = {
  name: 'cufe',
  usage: 'fepa cufe <CUFE>',
  summary: 'Split a CUFE into its fields and check its layout and check digit.',
  run({ args, out, err }) {
    const result = parseCufe(onlyArgument(args, 'CUFE'));
    if (result.fields) {
      const f = result.fields;
      out(
        [
          `iDoc       ${f.iDoc}`,
          `dTipoRuc   ${f.dTipoRuc}`,
          `dRuc       ${f.dRuc}`,
          `dDV        ${f.dDV}`,
          `dSucEm     ${f.dSucEm}`,
          `dFechaEm   ${f.issueDate.slice(0, 4)}-${f.issueDate.slice(4, 6)}-${f.issueDate.slice(6)}`,
          `dNroDF     ${f.dNroDF}`,
          `dPtoFacDF  ${f.dPtoFacDF}`,
          `iTpEmis    ${f.iTpEmis}`,
          `iAmb       ${f.iAmb}`,
          `dSeg       ${f.dSeg}`,
        ].join('\n'),
      );
    }
    if (!result.ok) {
      err(`invalid CUFE: ${result.reason}`);
      return 1;
    }
    out(`check digit ${result.checkDigit}: valid`);
    return 0;
  },
};

/** Natural-person RUCs start with a province (1–13) or a letter form; juridical ones with a long tomo. */
function guessRucType(ruc: string): RucType {
  const first = ruc.split('-')[0] ?? '';
  return /^[0-9]{1,2}$/.test(first) && Number(first) <= 13 && !ruc.includes('NT')
    ? '1'
    : /^[0-9]+$/.test(first)
      ? '2'
      : '1';
}

export const rucDvCommand: Command = {
  name: 'ruc-dv',
  usage: 'fepa ruc-dv <RUC> [--type 1|2]',
  summary:
    'Compute the check digit (DV) of a RUC. --type 1 natural person, 2 juridical (guessed when absent).',
  options: { type: { type: 'string' } },
  run({ args, values, out }) {
    const ruc = onlyArgument(args, 'RUC');
    const type = (values.type as string | undefined) ?? guessRucType(ruc);
    if (type !== '1' && type !== '2') throw new CliUsageError('--type must be 1 (natural) or 2 (juridical)');
    try {
      out(computeRucDv(ruc, type));
    } catch (e) {
      if (e instanceof RucFormatError) throw new CliUsageError(e.message);
      throw e;
    }
    return 0;
  },
};
