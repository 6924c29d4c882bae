import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import { SMTPServer } from 'smtp-server';

/** One e-mail the sink received, as a person would look at it. */
export interface SinkMessage {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string | undefined;
  attachments: Array<{ filename: string; contentType: string; size: number; content: Buffer }>;
}

export interface SmtpSink {
  smtpUrl: string;
  webUrl: string;
  messages(): SinkMessage[];
  /** Refuses the next `count` messages with SMTP `code` (4xx: try later, 5xx: never). */
  refuseNext(count: number, code?: number): void;
  stop(): Promise<void>;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(messages: SinkMessage[]): string {
  const rows = messages
    .slice()
    .reverse()
    .map(
      (
        m,
      ) => `<tr><td>${escape(m.receivedAt)}</td><td>${escape(m.from)}</td><td>${escape(m.to.join(', '))}</td>
<td>${escape(m.subject)}</td><td>${m.attachments
        .map((a, i) => `<a href="/messages/${m.id}/attachments/${i}">${escape(a.filename)}</a> (${a.size} B)`)
        .join('<br>')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>fepa: e-mails sent</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}</style></head>
<body><h1>E-mails fepa sent (local SMTP sink)</h1><p>${messages.length} message(s); newest first. Nothing here leaves this machine.</p>
<table><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th><th>Attachments</th></tr>
${rows}</table></body></html>`;
}

/**
 * A real SMTP server for development and tests: it accepts every message (or refuses on request), keeps it
 * in memory and shows it on a page with its attachments, so a newcomer sees the customer's e-mail.
 */
export async function startSmtpSink(options: {
  port?: number;
  webPort?: number;
  host?: string;
  log?: Logger;
}): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  const messages: SinkMessage[] = [];
  let refusals: { count: number; code: number } = { count: 0, code: 451 };
  const smtp = new SMTPServer({
    // Any login is accepted, over plain SMTP on loopback: a sink checks what is sent, not who sends it.
    authOptional: true,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    disabledCommands: ['STARTTLS'],
    banner: 'fepa SMTP sink',
    onData(stream, session, callback) {
      if (refusals.count > 0) {
        refusals.count--;
        stream.resume();
        const error = Object.assign(
          new Error(
            `${refusals.code === 451 ? 'try again later' : 'mailbox unavailable'} (sink refusing on purpose)`,
          ),
          {
            responseCode: refusals.code,
          },
        );
        stream.on('end', () => callback(error));
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            id: messages.length + 1,
            receivedAt: new Date().toISOString(),
            from: mail.from?.text ?? '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            messageId: mail.messageId,
            attachments: mail.attachments.map((a) => ({
              filename: a.filename ?? 'attachment',
              contentType: a.contentType,
              size: a.size,
              content: a.content,
            })),
          });
          options.log?.info(
            { to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject },
            'smtp sink: received',
          );
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.port ?? 0, host, () => resolve());
  });
  smtp.on('error', (err) => options.log?.warn({ err }, 'smtp sink: error'));

  const app = express();
  app.get('/', (_req, res) => {
    res.type('html').send(page(messages));
  });
  app.get('/messages.json', (_req, res) => {
    res.json(
      messages.map(({ attachments, ...m }) => ({
        ...m,
        attachments: attachments.map(({ content: _c, ...a }) => a),
      })),
    );
  });
  app.get('/messages/:id/attachments/:n', (req, res) => {
    const attachment = messages[Number(req.params.id) - 1]?.attachments[Number(req.params.n)];
    if (!attachment) {
      res.status(404).type('text').send('no such attachment');
      return;
    }
    res
      .type(attachment.contentType)
      .setHeader('content-disposition', `inline; filename="${attachment.filename}"`)
      .send(attachment.content);
  });
  const web: Server = await new Promise((resolve) => {
    const server = app.listen(options.webPort ?? 0, host, () => resolve(server));
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const webPort = (web.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    webUrl: `http://${host}:${webPort}`,
    messages: () => messages,
    refuseNext(count, code = 451) {
      refusals = { count, code };
    },
    async stop() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
