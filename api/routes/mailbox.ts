import { z } from 'zod';
import type { MailboxService } from '../../app/services/mailbox-service.js';
import { HttpProblem } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';

const MailboxBody = z.strictObject({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean().describe('TLS from the start (IMAPS, usually port 993)'),
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(500).describe('Sealed at rest; never shown again'),
  folder: z.string().min(1).max(200).default('INBOX'),
  whenDone: z
    .enum(['move', 'flag'])
    .describe('Move each read message to `doneFolder`, or flag it read and processed'),
  doneFolder: z.string().min(1).max(200).optional(),
  enabled: z.boolean().default(true),
});

const ReceivingSettingsBody = z.strictObject({
  autoAcknowledge: z
    .enum(['1001', '1002', '1003'])
    .nullable()
    .describe(
      'Send this manifestation automatically once the DGI confirms a received document (null: never)',
    ),
});

const noMailbox = () =>
  new HttpProblem({
    type: 'not-found',
    title: 'No mailbox',
    status: 404,
    detail: 'This company has no mailbox set.',
  });

/** The company's mailbox for receiving, and the receiving settings. */
export function mailboxRoutes(deps: { mailboxes: MailboxService }): AnyRoute[] {
  return [
    defineRoute({
      method: 'put',
      path: '/v1/companies/:companyId/mailbox',
      access: 'admin',
      tag: 'Received documents',
      summary: 'Set the mailbox suppliers e-mail their documents to (IMAP)',
      description:
        'The host must be a known provider over TLS or one the operator allows (FEPA_MAIL_ALLOWED_HOSTS); ' +
        'the password is sealed and never shown. fepa reads new messages every few minutes.',
      body: MailboxBody,
      responses: {
        200: { description: 'Saved (never the password)', schema: z.looseObject({ host: z.string() }) },
      },
      async handle({ res, body, params }) {
        const saved = await deps.mailboxes.save(params.companyId!, body);
        if (saved.outcome === 'invalid')
          throw new HttpProblem({
            type: 'validation',
            title: 'The mailbox is not valid',
            status: 400,
            detail: saved.issues.map((i) => `${i.path}: ${i.message}`).join('; '),
            issues: saved.issues,
          });
        res.json(saved.mailbox);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/mailbox',
      access: 'admin',
      tag: 'Received documents',
      summary: 'The mailbox, where reading got to, and what came of the last messages',
      responses: {
        200: { description: 'The mailbox (never the password)', schema: z.looseObject({ host: z.string() }) },
      },
      async handle({ res, params }) {
        const mailbox = await deps.mailboxes.show(params.companyId!);
        if (!mailbox) throw noMailbox();
        res.json(mailbox);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/companies/:companyId/mailbox',
      access: 'admin',
      tag: 'Received documents',
      summary: 'Stop reading the mailbox and forget it',
      responses: { 204: { description: 'Removed' } },
      async handle({ res, params }) {
        if (!(await deps.mailboxes.remove(params.companyId!))) throw noMailbox();
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/mailbox/read',
      access: 'operator',
      tag: 'Received documents',
      summary: 'Read the mailbox now (waits for the read)',
      responses: {
        200: { description: 'What the read found', schema: z.looseObject({ messages: z.number() }) },
      },
      async handle({ res, params }) {
        if (!(await deps.mailboxes.show(params.companyId!))) throw noMailbox();
        res.json(await deps.mailboxes.readNow(params.companyId!));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/receiving-settings',
      access: 'integrator',
      tag: 'Received documents',
      summary: 'Receiving settings (automatic acknowledgment)',
      responses: {
        200: { description: 'The settings', schema: z.object({ autoAcknowledge: z.string().nullable() }) },
      },
      async handle({ res, params }) {
        res.json(await deps.mailboxes.receivingSettings(params.companyId!));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/companies/:companyId/receiving-settings',
      access: 'admin',
      tag: 'Received documents',
      summary: 'Set the receiving settings',
      body: ReceivingSettingsBody,
      responses: {
        200: { description: 'Saved', schema: z.object({ autoAcknowledge: z.string().nullable() }) },
      },
      async handle({ res, body, params }) {
        await deps.mailboxes.saveReceivingSettings(params.companyId!, body);
        res.json(await deps.mailboxes.receivingSettings(params.companyId!));
      },
    }),
  ];
}
