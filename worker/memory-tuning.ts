/**
 * Memory settings for the worker process, in one place (`npm start`, `npm run cluster`, the Dockerfile's
 * compose service and the scale benches use them). Most of a worker's RSS under load is glibc's per-thread
 * malloc arenas (the Rust core's threads) and V8's young generation, not the cache. With 1,000 parked
 * documents (`bench/results/scale-memory.json`): ~800 MB untuned, 427 MB tuned under tsx, 354 MB tuned and
 * compiled (tools/dev-stack/node-entry.ts) at a cache of 200, 265 MB at a cache of 50.
 */
export const WORKER_MEMORY_FLAGS = ['--max-semi-space-size=2', '--max-old-space-size=512'] as const;
export const WORKER_MALLOC_ARENA_MAX = '2';

/** `env` with the worker's memory settings added; what the operator already set wins. */
export function withWorkerMemoryTuning(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const given = env.NODE_OPTIONS ?? '';
  const flags = WORKER_MEMORY_FLAGS.filter((f) => !given.includes(f.split('=')[0]!));
  return {
    ...env,
    MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? WORKER_MALLOC_ARENA_MAX,
    NODE_OPTIONS: [given, ...flags].filter(Boolean).join(' '),
  };
}
