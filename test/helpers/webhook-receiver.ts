import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  body: any;
  headers: IncomingHttpHeaders;
}

export interface WebhookReceiver {
  /** Where fepa posts (`…/hook`). */
  url: string;
  /** Every accepted delivery, in order. */
  received: ReceivedWebhook[];
  /** Their bodies, parsed. */
  bodies: any[];
  close(): Promise<void>;
}

/**
 * A real HTTP endpoint standing in for a company's webhook receiver. `status` decides each answer
 * (default 204); only deliveries answered 2xx are kept, as a receiver would.
 */
export async function startWebhookReceiver(status: () => number = () => 204): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const bodies: any[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const code = status();
      if (code < 300) {
        const body: unknown = JSON.parse(text);
        received.push({ body, headers: req.headers });
        bodies.push(body);
      }
      res.writeHead(code).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    bodies,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
