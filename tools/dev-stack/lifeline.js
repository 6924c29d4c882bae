/* global process, setTimeout */
// Runs a program that cannot watch its parent itself (the Temporal binaries) under fepa's supervisor, and
// stops it when the supervisor is gone, however it ended (Ctrl-C, kill -9, a crash): the supervisor holds the
// write end of this process's stdin, and the kernel closes it when the supervisor dies. Plain JavaScript, so
// it starts in the time node does. Usage: node tools/dev-stack/lifeline.js <program> [args…]
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const [program, ...args] = process.argv.slice(2);
const graceMs = Number(process.env.FEPA_LIFELINE_GRACE_MS ?? 15_000);
const child = spawn(program, args, { stdio: ['ignore', 'inherit', 'inherit'] });

// Signals to the process group reach the program directly; relaying them would send each one twice.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});

let orphaned = false;
const parentGone = () => {
  if (orphaned || child.exitCode !== null || child.signalCode !== null) return;
  orphaned = true;
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
};
process.stdin.on('end', parentGone);
process.stdin.on('close', parentGone);
process.stdin.on('error', parentGone);
process.stdin.resume();

child.on('error', (err) => {
  process.stderr.write(`${program}: ${err.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
