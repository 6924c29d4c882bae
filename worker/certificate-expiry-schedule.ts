import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { CERTIFICATE_EXPIRY_SCHEDULE_ID } from '../common/schedules.js';
import { TASK_QUEUES } from '../common/task-queues.js';
import type { certificateExpiryWatchWorkflow } from '../workflows/certificate-expiry-watch-workflow.js';

/**
 * The daily certificate expiry watch (06:00 Panama time). Created when missing; an existing schedule is
 * updated so a changed warning window takes effect.
 */
export async function ensureCertificateExpirySchedule(
  client: Client,
  options: { warningDays: number; taskQueue?: string; scheduleId?: string },
): Promise<'created' | 'updated'> {
  const scheduleId = options.scheduleId ?? CERTIFICATE_EXPIRY_SCHEDULE_ID;
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'certificateExpiryWatchWorkflow',
    taskQueue: options.taskQueue ?? TASK_QUEUES.documents,
    args: [{ warningDays: options.warningDays }] as Parameters<typeof certificateExpiryWatchWorkflow>,
  };
  const spec = { calendars: [{ hour: 6, minute: 0 }], timezone: 'America/Panama' };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  }
}
