// `fepa cufe` and `fepa ruc-dv`: run in scripts and by hand, so they load only the two small modules they need.
import { parseCufe } from '../../domain/dgi-document/cufe.js';
import { computeRucDv, RucFormatError, type RucType } from '../../domain/dgi-document/ruc-check-digit.js';
import { CliUsageError, onlyArgument, type Command } from './command.js';

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
