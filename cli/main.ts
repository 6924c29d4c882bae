// `fepa <command>`: tools for integrators and support. Errors go to stderr with a non-zero exit.
import { parseArgs } from 'node:util';
import { cafeCommand } from './cafe-command.js';
import { contingencyCommand } from './contingency-command.js';
import { foliosCommand, rucLookupCommand } from './hka-commands.js';
import { CliUsageError, type Command } from './command.js';
import { certCommand, sandboxP12Command, signCommand, verifyCommand } from './certificate-commands.js';
import { buildCommand, cufeCommand, rucDvCommand, validateCommand } from './document-commands.js';
import { companyCommand, keyCommand } from './tenant-commands.js';

const COMMANDS: Command[] = [
  validateCommand,
  buildCommand,
  cufeCommand,
  cafeCommand,
  rucDvCommand,
  certCommand,
  signCommand,
  verifyCommand,
  sandboxP12Command,
  companyCommand,
  keyCommand,
  contingencyCommand,
  rucLookupCommand,
  foliosCommand,
];

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'fepa: electronic invoicing for Panama (DGI rFE 1.00)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Run `fepa <command> --help` for one command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    err(`unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      out(`usage: ${command.usage}\n\n${command.summary}`);
      return 0;
    }
    return await command.run({ args: positionals, values, out, err });
  } catch (e) {
    if (e instanceof CliUsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`fepa ${command.name}: ${(e as Error).message}\nusage: ${command.usage}`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
