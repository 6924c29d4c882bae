import type { ParseArgsConfig } from 'node:util';

export interface CommandContext {
  args: string[];
  values: Record<string, unknown>;
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  /** Returns (or resolves with) the exit code. */
  run(context: CommandContext): Promise<number> | number;
}

/** A mistake in how the command was called: message on stderr, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** The one positional argument a command takes. */
export const onlyArgument = (args: string[], what: string): string => {
  if (args.length !== 1) throw new CliUsageError(`expected exactly one ${what}`);
  return args[0]!;
};
