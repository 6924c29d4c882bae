import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { CERTIFICATE_EXPIRY_SCHEDULE_ID, HKA_FOLIO_WATCH_SCHEDULE_ID } from '../common/schedules.js';
import { pacTaskQueue } from '../common/pac-outcome.js';
import { TASK_QUEUES } from '../common/task-queues.js';
import type { certificateExpiryWatchWorkflow } from '../workflows/certificate-expiry-watch-workflow.js';
import type { folioWatchWorkflow } from '../workflows/pac-account-workflows.js';

/**
 * A workflow started every day at a Panama hour. Created when missing; an existing schedule is updated so
 * changed arguments take effect.
 */
async function ensureDailySchedule(
  client: Client,
  schedule: { scheduleId: string; workflowType: string; args: unknown[]; taskQueue: string; hour: number },
): Promise<'created' | 'updated'> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: schedule.workflowType,
    taskQueue: schedule.taskQueue,
    args: schedule.args,
  };
  const spec = { calendars: [{ hour: schedule.hour, minute: 0 }], timezone: 'America/Panama' };
  try {
    await client.schedule.create({
      scheduleId: schedule.scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(schedule.scheduleId)
      .update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  }
}

/** The daily certificate expiry watch (06:00 Panama time). */
export function ensureCertificateExpirySchedule(
  client: Client,
  options: { warningDays: number; taskQueue?: string; scheduleId?: string },
): Promise<'created' | 'updated'> {
  const args: Parameters<typeof certificateExpiryWatchWorkflow> = [{ warningDays: options.warningDays }];
  return ensureDailySchedule(client, {
    scheduleId: options.scheduleId ?? CERTIFICATE_EXPIRY_SCHEDULE_ID,
    workflowType: 'certificateExpiryWatchWorkflow',
    taskQueue: options.taskQueue ?? TASK_QUEUES.documents,
    args,
    hour: 6,
  });
}

/** The daily read of every HKA company's prepaid folios (07:00 Panama time). */
export function ensureFolioWatchSchedule(
  client: Client,
  options: { taskQueue?: string; pacTaskQueuePrefix?: string; scheduleId?: string } = {},
): Promise<'created' | 'updated'> {
  const args: Parameters<typeof folioWatchWorkflow> = [
    { pacTaskQueue: `${options.pacTaskQueuePrefix ?? ''}${pacTaskQueue('hka')}`, reason: 'schedule' },
  ];
  return ensureDailySchedule(client, {
    scheduleId: options.scheduleId ?? HKA_FOLIO_WATCH_SCHEDULE_ID,
    workflowType: 'folioWatchWorkflow',
    taskQueue: options.taskQueue ?? TASK_QUEUES.documents,
    args,
    hour: 7,
  });
}
