import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CertificateService } from '../../app/services/certificate-service.js';
import {
  certificateEvents,
  saveCertificate,
  activeCertificate,
} from '../../platform/storage/certificate-store.js';
import { ensureCertificateExpirySchedule } from '../../worker/daily-schedules.js';
import { createTestCompany } from '../helpers/companies.js';
import { makeCertificate, makeKeyPair, makeP12 } from '../helpers/p12-factory.js';
import { testSecretBox } from '../helpers/test-api.js';
import { closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';

const DAY = 86_400_000;

async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the daily certificate expiry watch (a Temporal Schedule)', () => {
  let worker: TestWorker;
  const scheduleId = `test-expiry-watch-${randomUUID()}`;
  before(async () => {
    worker = await startTestWorker();
  });
  after(async () => {
    const env = await testTemporal();
    await env.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => {});
    await worker.stop();
    await closeTestStack();
  });

  it('records certificates entering the warning window or expired, once each, and shows them in the status', async () => {
    const env = await testTemporal();
    const service = new CertificateService(testDatabase(), testSecretBox, 30);
    const password = 'watch-password';
    const upload = async (daysLeft: number) => {
      const company = await createTestCompany(testDatabase());
      const keys = makeKeyPair();
      const pem = makeCertificate({
        keys,
        commonName: `${company.name} ${company.ruc}`,
        notAfter: new Date(Date.now() + daysLeft * DAY),
      });
      await service.upload(
        company.id,
        makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [pem], password }),
        password,
      );
      return company;
    };
    const soon = await upload(10);
    const fine = await upload(200);
    // An already-expired certificate cannot be uploaded; this one was valid when stored and has since expired.
    const lapsed = await createTestCompany(testDatabase());
    await saveCertificate(testDatabase(), testSecretBox, {
      companyId: lapsed.id,
      p12: Buffer.from('sealed anyway'),
      password: 'x',
      facts: {
        subject: 'CN=OLD',
        issuer: 'CN=CA',
        serialNumber: '01',
        fingerprintSha256: 'AA',
        notBefore: new Date(Date.now() - 400 * DAY).toISOString(),
        notAfter: new Date(Date.now() - DAY).toISOString(),
        daysLeft: -1,
      },
    });

    assert.equal(
      await ensureCertificateExpirySchedule(env.client, {
        warningDays: 30,
        taskQueue: worker.taskQueue,
        scheduleId,
      }),
      'created',
    );
    assert.equal(
      await ensureCertificateExpirySchedule(env.client, {
        warningDays: 30,
        taskQueue: worker.taskQueue,
        scheduleId,
      }),
      'updated',
    );
    const schedule = env.client.schedule.getHandle(scheduleId);
    const described = await schedule.describe();
    assert.equal(described.spec.calendars?.[0]?.hour?.[0]?.start, 6, 'runs daily at 06:00');

    const idOf = async (companyId: string) => (await activeCertificate(testDatabase(), companyId))!.id;
    await schedule.trigger();
    const soonEvents = await eventually(
      async () => certificateEvents(testDatabase(), await idOf(soon.id)),
      (e) => e.length > 0,
    );
    const lapsedEvents = await eventually(
      async () => certificateEvents(testDatabase(), await idOf(lapsed.id)),
      (e) => e.length > 0,
    );
    assert.deepEqual(
      soonEvents.map((e) => e.kind),
      ['expiring'],
    );
    assert.deepEqual(
      lapsedEvents.map((e) => e.kind),
      ['expired'],
    );
    assert.deepEqual(await certificateEvents(testDatabase(), await idOf(fine.id)), []);

    await schedule.trigger();
    const actions = await eventually(
      async () => (await schedule.describe()).info.recentActions,
      (a) => a.length >= 2,
    );
    // Both runs of the watch have finished: whatever the second recorded, it is in the table now.
    const { client } = await testTemporal();
    for (const action of actions) await client.workflow.getHandle(action.action.workflow.workflowId).result();
    assert.equal(
      (await certificateEvents(testDatabase(), await idOf(soon.id))).length,
      1,
      'recorded once, however often the watch runs',
    );

    const status = await service.status(soon.id);
    assert.equal(status.status, 'expiring');
    assert.deepEqual(
      status.notices?.map((n) => n.kind),
      ['expiring'],
    );
    assert.equal((await service.status(lapsed.id)).status, 'expired');
  });
});
