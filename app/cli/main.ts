// `fepa <command>`: tools for integrators and support. Errors go to stderr with a non-zero exit.
import { parseArgs } from 'node:util';
import { CliUsageError, type Command } from './command.js';

/**
 * Every command, by name, and the module that defines it: only the command called is loaded, so `fepa cufe`
 * starts in about the time node does (bench/results/cli.json). `--help` loads them all.
 */
const COMMANDS: Array<{ name: string; load: () => Promise<Command> }> = [
  { name: 'validate', load: () => import('./document-commands.js').then((m) => m.validateCommand) },
  { name: 'build', load: () => import('./document-commands.js').then((m) => m.buildCommand) },
  { name: 'cufe', load: () => import('./number-commands.js').then((m) => m.cufeCommand) },
  { name: 'cafe', load: () => import('./cafe-command.js').then((m) => m.cafeCommand) },
  { name: 'ruc-dv', load: () => import('./number-commands.js').then((m) => m.rucDvCommand) },
  { name: 'cert', load: () => import('./certificate-commands.js').then((m) => m.certCommand) },
  { name: 'sign', load: () => import('./certificate-commands.js').then((m) => m.signCommand) },
  { name: 'verify', load: () => import('./certificate-commands.js').then((m) => m.verifyCommand) },
  { name: 'sandbox-p12', load: () => import('./certificate-commands.js').then((m) => m.sandboxP12Command) },
  { name: 'company', load: () => import('./tenant-commands.js').then((m) => m.companyCommand) },
  { name: 'key', load: () => import('./tenant-commands.js').then((m) => m.keyCommand) },
  { name: 'doc', load: () => import('./doc-commands.js').then((m) => m.docCommand) },
  { name: 'received', load: () => import('./received-commands.js').then((m) => m.receivedCommand) },
  { name: 'archive', load: () => import('./archive-command.js').then((m) => m.archiveCommand) },
  { name: 'books', load: () => import('./books-command.js').then((m) => m.booksCommand) },
  { name: 'contingency', load: () => import('./contingency-command.js').then((m) => m.contingencyCommand) },
  { name: 'ruc-lookup', load: () => import('./hka-commands.js').then((m) => m.rucLookupCommand) },
  { name: 'folios', load: () => import('./hka-commands.js').then((m) => m.foliosCommand) },
];

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

async function help(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'fepa: electronic invoicing for Panama (DGI rFE 1.00)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Run `fepa <command> --help` for one command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(await help());
    return name ? 0 : 2;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    err(`unknown command "${name}"\n\n${await help()}`);
    return 2;
  }
  const command = await entry.load();
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
