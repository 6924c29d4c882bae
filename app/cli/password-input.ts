import { createInterface } from 'node:readline';
import { CliUsageError } from './command.js';

/**
 * The P12 password: from the environment variable named by --password-env, never from an argument
 * (arguments land in shell history and process lists). Without it: a hidden prompt at a terminal, or the
 * first line of stdin when piped.
 */
export async function readPassword(passwordEnv: string | undefined, prompt: string): Promise<string> {
  if (passwordEnv !== undefined) {
    const value = process.env[passwordEnv];
    if (value === undefined) throw new CliUsageError(`environment variable ${passwordEnv} is not set`);
    return value;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stderr.write(prompt);
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  }
  try {
    const line = await new Promise<string>((resolve, reject) => {
      rl.once('line', resolve);
      rl.once('close', () => reject(new CliUsageError('no password given (use --password-env NAME)')));
    });
    if (process.stdin.isTTY) process.stderr.write('\n');
    return line;
  } finally {
    rl.close();
  }
}
