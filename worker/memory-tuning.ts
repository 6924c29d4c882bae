/**
 * Memory settings for the worker process, in one place (`npm start`, `npm run cluster`, the Dockerfile's
 * compose service and the scale benches use them). Measured with 1,000 parked documents and a cache of 200
 * (`bench/results/scale-memory.json`): RSS ~800 MB without, ~390 MB with. Most of a worker's RSS under load
 * is glibc's per-thread malloc arenas (the Rust core's threads) and V8's young generation, not the cache.
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
