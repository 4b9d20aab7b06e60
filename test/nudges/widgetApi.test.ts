import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/web/app';
import { dayNumber } from '../../src/domain/activity';
import { createExperiment, startExperiment } from '../../src/experiments/experimentLifecycle';
import { refreshNudgeCache } from '../../src/nudges/refreshNudgeCache';
import { Assignment, assignmentKey } from '../../src/storage/models/Assignment';
import { Experiment } from '../../src/storage/models/Experiment';
import { Exposure } from '../../src/storage/models/Exposure';
import { Learner } from '../../src/storage/models/Learner';
import { NudgeCache } from '../../src/storage/models/NudgeCache';
import { WidgetRuntime } from '../../src/web/routes/widget/WidgetRuntime';
import { seedCourse, tokenFor } from '../experiments/fixtures';
import { useTestDb, useTestRedis } from '../support';

useTestDb();
const redis = useTestRedis();

describe('learner widget API', () => {
  let app: ReturnType<typeof createApp>;
  let widget: WidgetRuntime;
  let courseId: string;
  let learnerIds: string[];
  let other: { courseId: string; learnerIds: string[] };
  let experimentId: string;
  const armOf = new Map<string, string>();
  const learnerIn = (arm: string) => learnerIds.find((id) => armOf.get(id) === arm)!;

  beforeAll(async () => {
    widget = new WidgetRuntime({ redis: redis.redis(), prefix: redis.prefix });
    app = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test' }), redis: redis.redis(), redisPrefix: redis.prefix, widget, checks: { mongo: async () => true, redis: async () => true } });
    ({ courseId, learnerIds } = await seedCourse({ learners: 60 }));
    other = await seedCourse({ learners: 3 });
    const experiment = await createExperiment({ courseId, input: { name: 'Widget test', holdout: 0.1 } });
    experimentId = String(experiment._id);
    await startExperiment({ courseId, experimentId });
    await refreshNudgeCache({ courseId, redis: redis.redis(), prefix: redis.prefix });
    for (const a of await Assignment.find({ experimentId }).lean()) armOf.set(String(a.learnerId), a.arm);
  });

  afterAll(() => widget.close());

  it("returns the learner's own effort nudge, from their own figures", async () => {
    const id = learnerIn('effort');
    const i = learnerIds.indexOf(id);
    const res = await request(app).get('/api/widget/nudge').set('authorization', `Bearer ${tokenFor(courseId, 'learner', id)}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const minutes = (i % 7) * 30;
    const problems = i % 4;
    const name = i % 2 === 0 ? `Name${i}, you` : 'You';
    const expected = minutes === 0 && problems === 0 ? null : `${name} spent ${minutes} minute${minutes === 1 ? '' : 's'} learning and completed ${problems} homework question${problems === 1 ? '' : 's'} last week, keep going!`;
    if (expected) expect(res.body.message).toBe(expected);
    expect(res.body).toMatchObject({ placement: 'widget', optedOut: false });
    expect(Object.keys(res.body).sort()).toEqual(['message', 'optedOut', 'placement', 'why']);
  });

  it('shows the certificate message beside videos only to the certificate-in-video arm', async () => {
    const videoLearner = learnerIds.find((id) => armOf.get(id) === 'certificate-video' && learnerIds.indexOf(id) % 5 !== 4)!;
    const token = tokenFor(courseId, 'learner', videoLearner);
    const beside = await request(app).get('/api/widget/nudge?placement=video').set('authorization', `Bearer ${token}`);
    expect(beside.body.message).toMatch(/your chance of earning a certificate goes up by about 3% for every hour of video you watch\.$/);
    const standalone = await request(app).get('/api/widget/nudge?placement=widget').set('authorization', `Bearer ${token}`);
    expect(standalone.body.message).toBeNull();
  });

  it('serves from MongoDB when Redis lost the copy, and refills Redis', async () => {
    const id = learnerIn('control');
    await redis.redis().del(`${redis.prefix}:nudge:${courseId}:${id}`);
    const res = await request(app).get('/api/widget/nudge').set('authorization', `Bearer ${tokenFor(courseId, 'learner', id)}`);
    expect(res.status).toBe(200);
    expect(res.body.message).toBeNull();
    expect(await redis.redis().exists(`${redis.prefix}:nudge:${courseId}:${id}`)).toBe(1);
  });

  it('answers repeat reads from the in-process cache without Redis or MongoDB, and picks up a refresh through the course version', async () => {
    const id = learnerIn('effort');
    const token = tokenFor(courseId, 'learner', id);
    const first = await request(app).get('/api/widget/nudge').set('authorization', `Bearer ${token}`);
    const hits = widget.nudges.stats.hits;
    // Take the stored copies away: a hit must not need them.
    await redis.redis().del(`${redis.prefix}:nudge:${courseId}:${id}`);
    const stored = await NudgeCache.findById(id).lean();
    await NudgeCache.deleteOne({ _id: id });
    const again = await request(app).get('/api/widget/nudge').set('authorization', `Bearer ${token}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['cache-control']).toBe('private, no-store');
    expect(again.headers['x-request-id']).toMatch(/^[\w-]{36}$/);
    expect(widget.nudges.stats.hits).toBe(hits + 1);
    await NudgeCache.create(stored!);

    // A rewrite of the course's content raises its version; after the next poll this process reads it afresh.
    await Learner.updateOne({ _id: id }, { $set: { givenName: 'Renamed' } });
    await refreshNudgeCache({ courseId, redis: redis.redis(), prefix: redis.prefix });
    await widget.nudges.pollVersions();
    const refreshed = await request(app).get('/api/widget/nudge').set('authorization', `Bearer ${token}`);
    if (first.body.message) expect(refreshed.body.message).toContain('Renamed');
    expect(widget.nudges.stats.hits).toBe(hits + 1);
  });

  it('honours an opt-out taken by another web process after its next version poll', async () => {
    const id = learnerIn('certificate');
    const token = tokenFor(courseId, 'learner', id);
    const otherProcess = new WidgetRuntime({ redis: redis.redis(), prefix: redis.prefix });
    const otherApp = createApp({ config: loadConfig({ ...process.env, NODE_ENV: 'test' }), redis: redis.redis(), redisPrefix: redis.prefix, widget: otherProcess, checks: { mongo: async () => true, redis: async () => true } });
    try {
      expect((await request(otherApp).get('/api/widget/nudge').set('authorization', `Bearer ${token}`)).body.optedOut).toBe(false);
      expect((await request(app).post('/api/widget/opt-out').set('authorization', `Bearer ${token}`).send({ optOut: true })).body.optedOut).toBe(true);
      expect((await request(app).get('/api/widget/nudge').set('authorization', `Bearer ${token}`)).body.optedOut).toBe(true);
      // Until its next poll (every 2 s) the other process still answers from its own cache.
      expect((await request(otherApp).get('/api/widget/nudge').set('authorization', `Bearer ${token}`)).body.optedOut).toBe(false);
      await otherProcess.nudges.pollVersions();
      expect((await request(otherApp).get('/api/widget/nudge').set('authorization', `Bearer ${token}`)).body).toMatchObject({ optedOut: true, message: null });
      await request(app).post('/api/widget/opt-out').set('authorization', `Bearer ${token}`).send({ optOut: false });
    } finally {
      await otherProcess.close();
    }
  });

  it('never serves another course’s cached content to a token of this course', async () => {
    const res = await request(app).get('/api/widget/nudge').set('authorization', `Bearer ${tokenFor(courseId, 'learner', other.learnerIds[0])}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ placement: 'widget', message: null, optedOut: false, why: "Keepup has nothing to show you yet; it refreshes after the course's nightly update." });
  });

  it('rejects missing, malformed and instructor tokens, and bad placements', async () => {
    expect((await request(app).get('/api/widget/nudge')).body).toMatchObject({ error: 'authentication_required', message: 'Send the Keepup session token as Authorization: Bearer <token>.' });
    expect((await request(app).get('/api/widget/nudge').set('authorization', 'Bearer a.b.c')).status).toBe(401);
    const asInstructor = await request(app).get('/api/widget/nudge').set('authorization', `Bearer ${tokenFor(courseId, 'instructor')}`);
    expect(asInstructor.status).toBe(403);
    expect(asInstructor.body.message).toBe('This needs the learner role.');
    const bad = await request(app).get('/api/widget/nudge?placement=sidebar').set('authorization', `Bearer ${tokenFor(courseId, 'learner', learnerIds[1])}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('validation_error');
  });

  it('logs one exposure per learner per day however often the widget is shown, none for the holdout', async () => {
    const id = learnerIn('certificate');
    const token = tokenFor(courseId, 'learner', id);
    const first = await request(app).post('/api/widget/exposures').set('authorization', `Bearer ${token}`).send({ placement: 'widget' });
    expect(first.body).toEqual({ logged: true, firstToday: true });
    const again = await request(app).post('/api/widget/exposures').set('authorization', `Bearer ${token}`).send({ placement: 'video' });
    expect(again.body).toEqual({ logged: true, firstToday: false });
    // Recorded in memory, written in one batch.
    expect(await Exposure.countDocuments({ experimentId })).toBe(0);
    expect(widget.exposures.pendingCount).toBe(1);
    await widget.exposures.flush();
    const docs = await Exposure.find({ experimentId }).lean();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ learnerId: expect.anything(), arm: 'certificate', strategy: 'certificate', placement: 'widget', views: 2, day: dayNumber(new Date()) });
    expect((await Assignment.findById(assignmentKey(experimentId, id)).lean())!.exposureDays).toBe(1);
    const held = learnerIn('holdout');
    const holdout = await request(app).post('/api/widget/exposures').set('authorization', `Bearer ${tokenFor(courseId, 'learner', held)}`).send({ placement: 'widget' });
    expect(holdout.body).toEqual({ logged: false, firstToday: false });
    // Later views of a stored learner-day only raise its views.
    expect((await request(app).post('/api/widget/exposures').set('authorization', `Bearer ${token}`).send({ placement: 'widget' })).body).toEqual({ logged: true, firstToday: false });
    await widget.exposures.flush();
    expect(await Exposure.countDocuments({ experimentId })).toBe(1);
    expect((await Exposure.findOne({ experimentId }).lean())!.views).toBe(3);
    expect((await Assignment.findById(assignmentKey(experimentId, id)).lean())!.exposureDays).toBe(1);
  });

  it('opt-out turns off nudges and messages at once, survives the nightly refresh, and excludes the learner from new experiments', async () => {
    const id = learnerIn('effort');
    const token = tokenFor(courseId, 'learner', id);
    const res = await request(app).post('/api/widget/opt-out').set('authorization', `Bearer ${token}`).send({ optOut: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ message: null, optedOut: true });
    const learner = await Learner.findById(id).lean();
    expect(learner!.optOut).toMatchObject({ nudges: true, messages: true });
    expect((await request(app).get('/api/widget/nudge').set('authorization', `Bearer ${token}`)).body.optedOut).toBe(true);
    expect((await request(app).post('/api/widget/exposures').set('authorization', `Bearer ${token}`).send({ placement: 'widget' })).body).toEqual({ logged: false, firstToday: false });

    await refreshNudgeCache({ courseId, redis: redis.redis(), prefix: redis.prefix });
    expect((await NudgeCache.findById(id).lean())!.content).toMatchObject({ optedOut: true, messages: { widget: null, video: null } });
    await Experiment.updateOne({ _id: experimentId }, { $set: { status: 'stopped' } });
    const next = await createExperiment({ courseId, input: { name: 'Next' } });
    await startExperiment({ courseId, experimentId: String(next._id) });
    const run = await refreshNudgeCache({ courseId, redis: redis.redis(), prefix: redis.prefix });
    expect(run.assignment).toEqual({ assigned: 59, existing: 0, optedOut: 1 });
    expect(await Assignment.findById(assignmentKey(next._id, id))).toBeNull();

    const back = await request(app).post('/api/widget/opt-out').set('authorization', `Bearer ${token}`).send({ optOut: false });
    expect(back.body.optedOut).toBe(false);
    expect((await Learner.findById(id).lean())!.optOut).toMatchObject({ nudges: false, messages: false });
    const badBody = await request(app).post('/api/widget/opt-out').set('authorization', `Bearer ${token}`).send({ optOut: 'yes' });
    expect(badBody.status).toBe(400);
  });
});
