import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/**
 * Serves one PGlite over the PostgreSQL wire protocol to several clients (the API, the worker, the CLI).
 *
 * PGlite has a single session, so clients must take turns. Taking turns per message (as
 * `@electric-sql/pglite-socket` does) lets another client's Parse/Bind land between a client's Bind and
 * Execute, and postgres.js then fails with `portal "" does not exist`. Here a client holds the session for a
 * whole batch (up to its Sync or simple Query), and for a whole transaction when the batch leaves one open.
 */
export class PgliteWireServer {
  private server: Server | undefined;
  private owner: Socket | undefined;
  private readonly waiting: Array<{ socket: Socket; go: () => void }> = [];
  private readonly sockets = new Set<Socket>();

  constructor(private readonly db: PGlite) {}

  async listen(port: number, host: string): Promise<number> {
    const server = createServer((socket) => this.serve(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let started = false;
    let batch: Buffer[] = [];
    let chain = Promise.resolve();
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const message = started ? typedMessage(buffer) : startupMessage(buffer);
        if (!message) break;
        buffer = buffer.subarray(message.length);
        if (!started) {
          const code = message.readInt32BE(4);
          if (code === SSL_REQUEST) {
            socket.write('N'); // no TLS on a local socket
            continue;
          }
          if (code === CANCEL_REQUEST) continue;
          if (code === PROTOCOL_3) started = true;
          chain = chain.then(() => this.run(socket, [message]));
          continue;
        }
        const type = String.fromCharCode(message[0]!);
        if (type === 'X') {
          socket.end();
          continue;
        }
        batch.push(message);
        if (type === 'S' || type === 'Q' || type === 'H') {
          const ready = batch;
          batch = [];
          chain = chain.then(() => this.run(socket, ready));
        }
      }
    });
    const gone = () => {
      this.sockets.delete(socket);
      void chain.then(() => this.release(socket, true));
    };
    socket.on('close', gone);
    socket.on('error', () => socket.destroy());
  }

  /** Runs a client's batch with the session to itself; keeps the session while a transaction is open. */
  private async run(socket: Socket, messages: Buffer[]): Promise<void> {
    await this.acquire(socket);
    try {
      for (const message of messages) {
        await this.db.execProtocolRawStream(new Uint8Array(message), {
          onRawData: (data) => {
            if (socket.writable) socket.write(Buffer.from(data));
          },
        });
      }
    } finally {
      await this.release(socket, false);
    }
  }

  private acquire(socket: Socket): Promise<void> {
    if (this.owner === undefined || this.owner === socket) {
      this.owner = socket;
      return Promise.resolve();
    }
    return new Promise((go) => this.waiting.push({ socket, go }));
  }

  /** Hands the session on, unless the owner is inside a transaction and still connected. */
  private async release(socket: Socket, closed: boolean): Promise<void> {
    if (this.owner !== socket) {
      const i = this.waiting.findIndex((w) => w.socket === socket);
      if (closed && i >= 0) this.waiting.splice(i, 1);
      return;
    }
    if (this.db.isInTransaction()) {
      if (!closed) return;
      await this.db.exec('rollback'); // a client that vanished mid-transaction leaves nothing behind
    }
    const next = this.waiting.shift();
    this.owner = next?.socket;
    next?.go();
  }
}

/** A complete startup-phase message (length first, no type byte), or undefined while incomplete. */
function startupMessage(buffer: Buffer): Buffer | undefined {
  if (buffer.length < 8) return undefined;
  const length = buffer.readInt32BE(0);
  return buffer.length >= length ? buffer.subarray(0, length) : undefined;
}

/** A complete typed message (type byte, then length), or undefined while incomplete. */
function typedMessage(buffer: Buffer): Buffer | undefined {
  if (buffer.length < 5) return undefined;
  const length = 1 + buffer.readInt32BE(1);
  return buffer.length >= length ? buffer.subarray(0, length) : undefined;
}
