import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpFaultProxy {
  /** `host:port` of the proxy. */
  address: string;
  /** The service goes away: open connections are cut, new ones are dropped at once. */
  cut(): void;
  /** The service is back. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a real service (PostgreSQL in tests) that can take it away and bring it back:
 * a real network outage for one client (connections cut, new ones refused), without touching the
 * service other processes use.
 */
export async function startTcpFaultProxy(target: { host: string; port: number }): Promise<TcpFaultProxy> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let listening = true;
  return {
    address: `127.0.0.1:${port}`,
    cut() {
      if (listening) server.close();
      listening = false;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore() {
      if (!listening) server.listen(port, '127.0.0.1');
      listening = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        if (listening) server.close(() => resolve());
        else resolve();
      }),
  };
}
