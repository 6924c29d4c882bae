import { createServer } from 'node:net';

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A base port whose `base + offset` ports are all free now (for servers that take a block of ports),
 * below 32700 (Temporal keeps membership ports in a PostgreSQL smallint).
 */
export async function freePortBlock(offsets: number[]): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const base = 20_000 + Math.floor(Math.random() * 12_700);
    let free = true;
    for (const offset of offsets) if (!(free = await isFree(base + offset))) break;
    if (free) return base;
  }
  throw new Error(`no free block of ports for offsets ${offsets.join(', ')}`);
}
