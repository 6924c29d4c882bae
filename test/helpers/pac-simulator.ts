import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PacSimulator } from '../../tools/pac-simulator/pac-simulator.js';
import { buildSimulatorApp, SIMULATOR_PATHS } from '../../tools/pac-simulator/simulator-app.js';
import { MemorySimStore, type SimStore } from '../../tools/pac-simulator/sim-store.js';
import { silentLog } from './test-stack.js';

export interface RunningSimulator {
  sim: PacSimulator;
  url: string;
  aludraUrl: string;
  edocUrl: string;
  /** The Factory HKA's SOAP service root (the adapter adds the service path). */
  hkaUrl: string;
  /** Calls the simulator's admin API over HTTP, as an operator would. */
  admin(path: string, body?: unknown, method?: string): Promise<Response>;
  close(): Promise<void>;
}

/** The real simulator (express, real HTTP) on a random port. */
export async function startSimulator(store: SimStore = new MemorySimStore()): Promise<RunningSimulator> {
  const sim = new PacSimulator(store);
  const app = buildSimulatorApp(sim, silentLog);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    sim,
    url,
    aludraUrl: `${url}${SIMULATOR_PATHS.aludra}`,
    edocUrl: `${url}${SIMULATOR_PATHS.edoc}`,
    hkaUrl: `${url}${SIMULATOR_PATHS.hka}`,
    admin: (path, body, method) =>
      fetch(`${url}/_sim${path}`, {
        method: method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
