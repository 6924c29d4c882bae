import { readFile, writeFile } from 'node:fs/promises';
import { CafeError, cafeModel } from '../../domain/cafe/cafe-model.js';
import {
  CAFE_FORMATS,
  formatOfSignedXml,
  renderCafe,
  type CafeFormat,
} from '../../domain/cafe/render-cafe.js';
import { CliUsageError, type Command } from './command.js';

/**
 * `fepa cafe`: the printable copy of a signed document, for support desks and POS scripts that hold the
 * XML. The authorization, when known, comes from the PAC's answer: pass it, or the CAFE says "pending".
 */
export const cafeCommand: Command = {
  name: 'cafe',
  usage:
    'fepa cafe <signed.xml> [--format roll|roll58|letter] [--protocol <n> --authorized-at <date>] [--pac-legend <text>] [--out <file.pdf>]',
  summary: 'Print the CAFE (PDF with the QR) of a signed document, to --out or to stdout (redirected).',
  options: {
    format: { type: 'string' },
    protocol: { type: 'string' },
    'authorized-at': { type: 'string' },
    'pac-legend': { type: 'string' },
    out: { type: 'string' },
  },
  async run({ args, values, err }) {
    if (args.length !== 1) throw new CliUsageError('expected exactly one signed XML file');
    const format = values.format as string | undefined;
    if (format !== undefined && !(CAFE_FORMATS as readonly string[]).includes(format))
      throw new CliUsageError(`--format must be one of ${CAFE_FORMATS.join(', ')}, not "${format}"`);
    const out = values.out as string | undefined;
    if (!out && process.stdout.isTTY)
      throw new CliUsageError('the CAFE is a PDF: give --out <file.pdf> or redirect stdout to a file');
    let xml: string;
    try {
      xml = await readFile(args[0]!, 'utf8');
    } catch (e) {
      throw new CliUsageError(`cannot read ${args[0]}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    let pdf: Buffer;
    try {
      const model = cafeModel(xml, {
        protocol: values.protocol as string | undefined,
        authorizedAt: values['authorized-at'] as string | undefined,
        pacLegend: values['pac-legend'] as string | undefined,
      });
      pdf = await renderCafe(model, (format as CafeFormat | undefined) ?? formatOfSignedXml(xml));
    } catch (e) {
      if (!(e instanceof CafeError)) throw e;
      err(`${args[0]}: ${e.message}`);
      for (const issue of e.issues) err(`  ${issue.path}: ${issue.message}`);
      return 1;
    }
    if (out) await writeFile(out, pdf);
    else process.stdout.write(pdf);
    return 0;
  },
};
