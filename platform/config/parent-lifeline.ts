/**
 * A process started by fepa's supervisor (`npm start`, `npm run cluster`) stops when the supervisor is gone,
 * however it ended: the supervisor holds the write end of this process's stdin, and the kernel closes it when
 * the supervisor dies (tools/dev-stack/managed-process.ts). The process then stops as on SIGTERM (a worker drains).
 * Without FEPA_PARENT_LIFELINE (a process run by hand, in a container), nothing changes.
 */
export function stopWhenParentGone(): void {
  if (process.env.FEPA_PARENT_LIFELINE !== 'stdin') return;
  // Its children are not ours: a process this one starts must not inherit the setting.
  delete process.env.FEPA_PARENT_LIFELINE;
  let signalled = false;
  const parentGone = () => {
    if (signalled) return;
    signalled = true;
    process.kill(process.pid, 'SIGTERM');
  };
  process.stdin.on('end', parentGone);
  process.stdin.on('close', parentGone);
  process.stdin.on('error', parentGone);
  process.stdin.resume();
  // Watching the pipe must not keep a process alive that has finished its work.
  (process.stdin as unknown as { unref?: () => void }).unref?.();
}
