// The `fepa` command's start-up (issue #24 §3): wall time of whole commands as a user runs them, against
// `node -e 0` on the same machine (median of 10 each, alternating so load hits all alike).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../platform/config/settings.js';
import { invoiceWithItems } from './document-fixtures.js';

const CUFE = 'FE0120000155123456-2-2023-9500002025031000000000010010124829135707';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function wallMs(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr.toString()}`);
  return ms;
}

export async function benchCli(runs = 10) {
  const dir = await mkdtemp(join(tmpdir(), 'fepa-bench-cli-'));
  try {
    const big = join(dir, 'invoice-500-items.json');
    await writeFile(big, JSON.stringify(invoiceWithItems(500)));
    const fepa = join(PROJECT_ROOT, 'bin', 'fepa.js');
    const tsxCli = ['--import', 'tsx', join(PROJECT_ROOT, 'app', 'cli', 'main.ts')];
    wallMs([fepa, 'ruc-dv', '155123456-2-2023']); // compiles dist/ if it must: not measured
    const commands: Record<string, string[]> = {
      'node -e 0': ['-e', '0'],
      'fepa cufe': [fepa, 'cufe', CUFE],
      'fepa ruc-dv': [fepa, 'ruc-dv', '155123456-2-2023'],
      'fepa validate (500 items)': [fepa, 'validate', big],
      'fepa build (500 items)': [fepa, 'build', big],
      'fepa cufe under tsx (no dist)': [...tsxCli, 'cufe', CUFE],
    };
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (let i = 0; i < runs; i++)
      for (const [name, args] of Object.entries(commands)) samples[name]!.push(wallMs(args));
    const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
    const node = medians['node -e 0']!;
    return {
      runs,
      medianMs: medians,
      ratioToNode: Object.fromEntries(
        Object.entries(medians)
          .filter(([k]) => k !== 'node -e 0')
          .map(([k, v]) => [k, Math.round((v / node) * 100) / 100]),
      ),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
