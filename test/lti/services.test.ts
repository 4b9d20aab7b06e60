import type { Redis } from 'ioredis';
import { createRedis } from '../../src/storage/redis';
import { Course } from '../../src/storage/models/Course';
import { Learner } from '../../src/storage/models/Learner';
import { Platform } from '../../src/storage/models/Platform';
import { ActivityWeek } from '../../src/storage/models/ActivityWeek';
import { contributionId } from '../../src/ingest/contributionWriter';
import { pendingRef } from '../../src/ingest/learnerDirectory';
import { resolvedKey } from '../../src/ingest/pendingResolver';
import { SyncRosterTask } from '../../jobs/tasks/SyncRosterTask';
import { KeyStore } from '../../lti/keys/KeyStore';
import { AgsClient } from '../../lti/services/agsClient';
import { nextLink } from '../../lti/services/nrpsClient';
import { ServiceTokenClient } from '../../lti/services/ServiceTokenClient';
import { fullLaunch, useLtiHarness } from './harness';

describe('LTI Advantage services against the simulator', () => {
  const h = useLtiHarness();

  it('parses Link headers for rel="next"', () => {
    expect(nextLink('<https://a/x?page=2>; rel="next", <https://a/x?page=9>; rel="last"')).toBe('https://a/x?page=2');
    expect(nextLink('<https://a/x?page=9>; rel="last"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });

  it('syncs a roster over every NRPS page with one cached service token', async () => {
    await fullLaunch(h, 'canvas', 'instructor');
    const course = await Course.findOne({ tenant: h.platform('canvas').issuer, externalId: '1234' }).lean();
    expect(course?.lti?.membershipsUrl).toBe(h.platform('canvas').urls.memberships);
    const p = h.platform('canvas');
    const sync = new SyncRosterTask({ redis: await redisOf(h), prefix: h.prefix });
    const tokensBefore = p.stats.tokensIssued;
    const first = await sync.perform({ courseId: String(course!._id) });
    // 51 members (instructor, TA, 49 learners) at 20 per page.
    expect(first).toEqual({ pages: 3, members: 51, learners: 49, rejected: 0, removed: 0, resolvedPending: 0 });
    const second = await sync.perform({ courseId: String(course!._id) });
    expect(second.pages).toBe(3);
    expect(p.stats.tokensIssued - tokensBefore).toBe(1);
    const anonymous = await Learner.findOne({ courseId: course!._id, 'ids.ltiSub': p.user('anonymous')!.sub }).lean();
    expect([anonymous?.name, anonymous?.email]).toEqual([undefined, undefined]);
    const emailOnly = await Learner.findOne({ courseId: course!._id, 'ids.ltiSub': p.user('email-only')!.sub }).lean();
    expect([emailOnly?.name, emailOnly?.email]).toEqual([undefined, p.user('email-only')!.email]);
    expect(await Learner.countDocuments({ courseId: course!._id, status: 'active' })).toBe(49);
  });

  it('moves activity that arrived before the roster onto the synced learner', async () => {
    const p = h.platform('canvas');
    const course = await Course.findOne({ tenant: p.issuer, externalId: '1234' }).lean();
    const courseId = String(course!._id);
    const late = p.course.users.find((u) => u.role === 'learner')!;
    await Learner.deleteOne({ courseId: course!._id, 'ids.ltiSub': late.sub });
    const pending = pendingRef('lti_sub', late.sub);
    await ActivityWeek.collection.insertOne({ _id: contributionId(courseId, pending, 2900, 'test-batch'), c: courseId, l: pending, w: 2900, k: 'test-batch', p: true, e: [] } as never);
    const result = await new SyncRosterTask({ redis: await redisOf(h), prefix: h.prefix }).perform({ courseId });
    expect(result.resolvedPending).toBe(1);
    const learner = await Learner.findOne({ courseId: course!._id, 'ids.ltiSub': late.sub }).lean();
    expect(await ActivityWeek.collection.countDocuments({ c: courseId, l: String(learner!._id), k: resolvedKey('test-batch', pending) })).toBe(1);
    expect(await ActivityWeek.collection.countDocuments({ c: courseId, l: pending })).toBe(0);
  });

  it('marks learners who left the roster as removed', async () => {
    const p = h.platform('canvas');
    const course = await Course.findOne({ tenant: p.issuer, externalId: '1234' }).lean();
    const gone = p.course.users.pop()!;
    const result = await new SyncRosterTask({ redis: await redisOf(h), prefix: h.prefix }).perform({ courseId: String(course!._id) });
    p.course.users.push(gone);
    expect(result.removed).toBe(1);
    expect((await Learner.findOne({ courseId: course!._id, 'ids.ltiSub': gone.sub }).lean())?.status).toBe('removed');
  });

  it('refuses to sync a course that never launched (permanent error)', async () => {
    const course = await Course.create({ platform: 'canvas', tenant: 'local', externalId: 'no-lti' });
    await expect(new SyncRosterTask({ redis: await redisOf(h), prefix: h.prefix }).perform({ courseId: String(course._id) })).rejects.toMatchObject({
      status: 400,
      message: `Course ${course._id} has no NRPS endpoint yet: it is recorded at the first launch from a platform that offers NRPS`,
    });
  });

  it('creates an AGS line item and posts a score', async () => {
    const p = h.platform('canvas');
    const platform = await Platform.findOne({ issuer: p.issuer }).lean();
    const ags = new AgsClient(platform!, new ServiceTokenClient(await redisOf(h), new KeyStore(), h.prefix));
    const item = await ags.createLineItem(p.urls.lineItems, { label: 'Engagement', scoreMaximum: 100, tag: 'keepup' });
    expect(item).toMatchObject({ label: 'Engagement', scoreMaximum: 100, tag: 'keepup' });
    await ags.postScore(item.id, { userId: p.user('learner')!.sub, scoreGiven: 80, scoreMaximum: 100, timestamp: '2024-05-01T10:00:00Z', activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
    expect(p.lineItems[0].scores).toEqual([{ userId: p.user('learner')!.sub, scoreGiven: 80, scoreMaximum: 100, timestamp: '2024-05-01T10:00:00Z', activityProgress: 'Completed', gradingProgress: 'FullyGraded' }]);
    expect((await ags.listLineItems(p.urls.lineItems)).map((i) => i.label)).toEqual(['Engagement']);
  });
});

let shared: Redis | undefined;
/** One Redis client for the service-token cache, closed after the file. */
async function redisOf(_h: unknown): Promise<Redis> {
  return (shared ??= createRedis(process.env.REDIS_URL!));
}
afterAll(async () => shared?.quit());
