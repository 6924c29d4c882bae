import { performance } from 'node:perf_hooks';

export interface Rate {
  opsPerSecond: number;
  iterations: number;
  seconds: number;
}

/** Runs `fn` repeatedly for about `seconds` (after a short warm-up) and reports the rate. */
export function measureRate(fn: () => unknown, seconds = 2): Rate {
  const warmUntil = performance.now() + 200;
  while (performance.now() < warmUntil) fn();
  let iterations = 0;
  const start = performance.now();
  const stop = start + seconds * 1000;
  let now = start;
  while (now < stop) {
    for (let i = 0; i < 8; i++) fn();
    iterations += 8;
    now = performance.now();
  }
  const elapsed = (now - start) / 1000;
  return {
    opsPerSecond: Math.round((iterations / elapsed) * 10) / 10,
    iterations,
    seconds: Math.round(elapsed * 100) / 100,
  };
}

export function machineFacts() {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    measuredAt: new Date().toISOString(),
  };
}

/** The value below which `p` percent of the sorted samples fall. */
export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
