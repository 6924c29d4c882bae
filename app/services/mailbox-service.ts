import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
} from '@temporalio/client';
import type { MailboxReadInput, MailboxReadSummary } from '../../common/mailbox.js';
import type { ReceivedTimings } from '../../common/received-messages.js';
import { mailboxScheduleId } from '../../common/schedules.js';
import { TASK_QUEUES } from '../../common/task-queues.js';
import { checkMailboxAddress } from '../../platform/mail/mailbox-address.js';
import type { SecretBox } from '../../platform/secrets/secret-box.js';
import type { Sql } from '../../platform/storage/database.js';
import {
  deleteMailbox,
  findMailbox,
  recentMessages,
  saveMailbox,
  type MailboxSettings,
} from '../../platform/storage/mailbox-store.js';
import { receivingSettings, saveReceivingSettings } from '../../platform/storage/received-store.js';

export interface MailboxInput {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password: string;
  folder: string;
  whenDone: 'move' | 'flag';
  doneFolder?: string | undefined;
  enabled: boolean;
}

export type MailboxSaveOutcome =
  | { outcome: 'saved'; mailbox: MailboxSettings }
  | { outcome: 'invalid'; issues: Array<{ path: string; rule: string; message: string }> };

/**
 * A company's mailbox for receiving: its address under the outbound rule, its password sealed, and its
 * schedule (a read every `pollMinutes`). Reads run in the worker (mailboxReadWorkflow).
 */
export class MailboxService {
  constructor(
    private readonly deps: {
      sql: Sql;
      box: SecretBox;
      client: Client;
      mailAllowedHosts: readonly string[];
      taskQueue?: string | undefined;
      pacTaskQueuePrefix?: string | undefined;
      receivedTimings?: Partial<ReceivedTimings> | undefined;
      pollMinutes?: number;
    },
  ) {}

  private readInput(companyId: string): MailboxReadInput {
    return {
      companyId,
      ...(this.deps.pacTaskQueuePrefix ? { pacTaskQueuePrefix: this.deps.pacTaskQueuePrefix } : {}),
      ...(this.deps.receivedTimings ? { receivedTimings: this.deps.receivedTimings } : {}),
    };
  }

  async save(companyId: string, input: MailboxInput): Promise<MailboxSaveOutcome> {
    const check = checkMailboxAddress(input, this.deps.mailAllowedHosts);
    if (!check.ok)
      return { outcome: 'invalid', issues: [{ path: 'host', rule: check.rule, message: check.message }] };
    if (input.whenDone === 'move' && !input.doneFolder)
      return {
        outcome: 'invalid',
        issues: [
          {
            path: 'doneFolder',
            rule: 'required',
            message: 'whenDone "move" needs the folder to move read messages to',
          },
        ],
      };
    await saveMailbox(this.deps.sql, this.deps.box, {
      companyId,
      ...input,
      doneFolder: input.whenDone === 'move' ? (input.doneFolder ?? null) : null,
    });
    await this.schedule(companyId, input.enabled);
    return { outcome: 'saved', mailbox: (await findMailbox(this.deps.sql, companyId))! };
  }

  async show(companyId: string) {
    const mailbox = await findMailbox(this.deps.sql, companyId);
    if (!mailbox) return undefined;
    return { ...mailbox, recentMessages: await recentMessages(this.deps.sql, companyId) };
  }

  async remove(companyId: string): Promise<boolean> {
    const removed = await deleteMailbox(this.deps.sql, companyId);
    await this.schedule(companyId, false);
    return removed;
  }

  /** Reads the mailbox now and answers what came of it. */
  async readNow(companyId: string): Promise<MailboxReadSummary> {
    return this.deps.client.workflow.execute<(input: MailboxReadInput) => Promise<MailboxReadSummary>>(
      'mailboxReadWorkflow',
      {
        taskQueue: this.deps.taskQueue ?? TASK_QUEUES.documents,
        workflowId: `mailbox-read:${companyId}:${Date.now()}`,
        args: [this.readInput(companyId)],
      },
    );
  }

  receivingSettings(companyId: string) {
    return receivingSettings(this.deps.sql, companyId);
  }

  saveReceivingSettings(companyId: string, settings: { autoAcknowledge: string | null }) {
    return saveReceivingSettings(this.deps.sql, companyId, settings);
  }

  /** The company's read schedule: created or updated when the mailbox is on, deleted when it is off or gone. */
  private async schedule(companyId: string, on: boolean): Promise<void> {
    const scheduleId = mailboxScheduleId(companyId);
    const handle = this.deps.client.schedule.getHandle(scheduleId);
    if (!on) {
      await handle.delete().catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
      return;
    }
    const spec = { intervals: [{ every: `${this.deps.pollMinutes ?? 5}m` }] };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: 'mailboxReadWorkflow',
      taskQueue: this.deps.taskQueue ?? TASK_QUEUES.documents,
      args: [this.readInput(companyId)],
    };
    try {
      await this.deps.client.schedule.create({
        scheduleId,
        spec,
        action,
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await handle.update((previous) => ({ ...previous, spec, action }));
    }
  }
}
