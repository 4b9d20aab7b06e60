import zlib from 'node:zlib';
import express, { Router } from 'express';
import { Types } from 'mongoose';
import type { AppDeps } from '../../app';
import { AUDIENCE_PRESETS } from '../../../messaging/presets';
import { audienceSchema, resolveAudience } from '../../../messaging/audience';
import { audit } from '../../../messaging/audit';
import { modelVersionsFor } from '../../../registry/modelRegistry';
import { CanvasSenderToken } from '../../../storage/models/CanvasSenderToken';
import { ContactLedger } from '../../../storage/models/ContactLedger';
import { Learner, LearnerDoc } from '../../../storage/models/Learner';
import { Score, ScoreDoc } from '../../../storage/models/Score';
import { secrets } from '../../../storage/secrets';
import type { ModelCardView } from '../../dto/modelCard';
import { presentLearner } from '../../presenters/presentLearner';
import { actorOf, courseIdOf, loadCourse } from './courseAccess';
import { runColumns } from './columnarData';
import { canvasTokenSchema, learnersSchema, parse } from './schema';

/** Fewer scored learners than this and the dashboard says "not enough data yet" instead of drawing histograms. */
export const MIN_LEARNERS = 20;

/**
 * Dashboard reads: who is asking, the run's columns (one array per field, gzip), opt-out and contacted
 * flags, learner details for the table, the model card and presets; plus connecting Canvas for the Inbox channel.
 */
export function dashboardDataRoutes(deps: AppDeps, auth: express.RequestHandler): Router {
  const router = Router();

  router.get('/api/dashboard/me', auth, async (req, res) => {
    const session = req.session!;
    const course = await loadCourse(new Types.ObjectId(session.courseId));
    res.json({ courseId: session.courseId, courseTitle: course.title || session.contextId, sharesName: session.sharesName, platform: course.platform });
  });

  router.get('/api/dashboard/courses/:courseId/data', auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const course = await loadCourse(courseId);
    res.setHeader('cache-control', 'private, no-cache');
    if (!course.lastScoredRunDate) return res.json({ courseId: String(courseId), runDate: null, n: 0 });
    const encoded = await runColumns(courseId, course.lastScoredRunDate, deps.redis, deps.redisPrefix);
    res.setHeader('etag', encoded.etag);
    res.setHeader('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === encoded.etag) return res.status(304).end();
    res.type('application/json');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('content-encoding', 'gzip');
      return res.send(encoded.gzip);
    }
    res.send(encoded.json);
  });

  router.get('/api/dashboard/courses/:courseId/flags', auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const [optedOut, contacted] = await Promise.all([
      Learner.find({ courseId, 'optOut.messages': true }).select({ _id: 1 }).lean(),
      ContactLedger.find({ courseId, lastContactedAt: { $ne: null } }).select({ learnerId: 1 }).lean(),
    ]);
    const body = JSON.stringify({ optedOut: optedOut.map((l) => String(l._id)), contacted: contacted.map((c) => String(c.learnerId)) });
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && body.length > 4096) {
      res.setHeader('content-encoding', 'gzip');
      return res.type('application/json').send(zlib.gzipSync(body));
    }
    res.type('application/json').send(body);
  });

  router.post('/api/dashboard/courses/:courseId/learners', auth, express.json({ limit: '64kb' }), async (req, res) => {
    const courseId = courseIdOf(req);
    const input = parse(learnersSchema, req.body);
    const course = await loadCourse(courseId);
    const ids = input.ids.map((id) => new Types.ObjectId(id));
    const [learners, scores, ledgers] = await Promise.all([
      Learner.find({ _id: { $in: ids }, courseId }).select({ pseudonym: 1, name: 1, optOut: 1 }).lean<LearnerDoc[]>(),
      course.lastScoredRunDate ? Score.find({ courseId, runDate: course.lastScoredRunDate, learnerId: { $in: ids } }).lean<ScoreDoc[]>() : Promise.resolve([] as ScoreDoc[]),
      ContactLedger.find({ learnerId: { $in: ids } }).select({ learnerId: 1, lastContactedAt: 1 }).lean(),
    ]);
    const scoreBy = new Map(scores.map((s) => [String(s.learnerId), s]));
    const contactBy = new Map(ledgers.map((l) => [String(l.learnerId), l.lastContactedAt]));
    const showNames = input.names && req.session!.sharesName;
    const byId = new Map(learners.map((l) => [String(l._id), l]));
    res.json({
      names: showNames,
      learners: input.ids.filter((id) => byId.has(id)).map((id) => presentLearner(byId.get(id)!, scoreBy.get(id) ?? null, { showNames, lastContactedAt: contactBy.get(id) ?? null })),
    });
  });

  router.post('/api/dashboard/courses/:courseId/audience/count', auth, express.json({ limit: '8kb' }), async (req, res) => {
    const courseId = courseIdOf(req);
    const audience = parse(audienceSchema, req.body?.audience);
    const course = await loadCourse(courseId);
    const ids = course.lastScoredRunDate ? (await resolveAudience(courseId, course.lastScoredRunDate, audience)).map((s) => s.learnerId) : [];
    const optedOut = ids.length ? await Learner.countDocuments({ _id: { $in: ids }, 'optOut.messages': true }) : 0;
    res.json({ runDate: course.lastScoredRunDate ?? null, matched: ids.length, optedOut });
  });

  router.get('/api/dashboard/courses/:courseId/model-card', auth, async (req, res) => {
    const courseId = courseIdOf(req);
    const course = await loadCourse(courseId);
    res.json(await modelCard(courseId, course.lastScoredRunDate ?? null));
  });

  router.get('/api/dashboard/courses/:courseId/presets', auth, (req, res) => {
    courseIdOf(req);
    res.json({ presets: AUDIENCE_PRESETS });
  });

  router.put('/api/dashboard/courses/:courseId/canvas-token', auth, express.json({ limit: '8kb' }), async (req, res) => {
    const courseId = courseIdOf(req);
    const input = parse(canvasTokenSchema, req.body);
    await CanvasSenderToken.updateOne(
      { courseId, userSub: req.session!.userSub },
      { $set: { apiBase: input.apiBase.replace(/\/+$/, ''), canvasCourseId: input.canvasCourseId, sealedToken: secrets().seal(input.token), sealedRefreshToken: null, expiresAt: null, canvasUserId: null } },
      { upsert: true },
    );
    await audit({ courseId, actor: actorOf(req), action: 'canvas.connected', detail: new URL(input.apiBase).host });
    res.status(204).end();
  });

  return router;
}

/**
 * Model quality and freshness for the card: per outcome, the validation AUC, Brier score, expected calibration
 * error and reliability diagram of the model version that scored the run; `status: not_enough_data` until a
 * run scored enough learners.
 */
async function modelCard(courseId: Types.ObjectId, runDate: string | null): Promise<ModelCardView> {
  if (!runDate) return { status: 'not_enough_data', reason: 'No nightly run has scored this course yet.', lastRunDate: null, learners: 0 };
  const learners = await Score.countDocuments({ courseId, runDate });
  const sample = await Score.findOne({ courseId, runDate }).select({ modelVersions: 1, updatedAt: 1 }).lean<ScoreDoc & { updatedAt?: Date }>();
  const latest = await Score.findOne({ courseId, runDate, 'activity.lastActiveAt': { $ne: null } }).sort({ 'activity.lastActiveAt': -1 }).select({ 'activity.lastActiveAt': 1 }).lean<ScoreDoc>();
  const versions = Object.entries(sample?.modelVersions ?? {}).filter(([, v]) => typeof v === 'string') as Array<[string, string]>;
  const models = await modelVersionsFor(versions.map(([, v]) => v));
  const byVersion = new Map(models.map((m) => [m._id, m]));
  const metricsOf = (version: string) => {
    const m = byVersion.get(version);
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    return {
      auc: num(m?.metrics?.auc),
      brier: num(m?.metrics?.brier),
      ece: num(m?.metrics?.ece),
      validationRows: num(m?.metrics?.rows),
      reliability: (m?.reliability ?? []).map((b) => ({ lower: b.lower, upper: b.upper, count: b.count, meanPredicted: b.meanPredicted, observedRate: b.observedRate })),
      trainedAt: m?.trainedAt ?? null,
    };
  };
  const enough = learners >= MIN_LEARNERS;
  return {
    status: enough ? 'ready' : 'not_enough_data',
    reason: enough ? null : `Only ${learners} learners are scored; predictions need at least ${MIN_LEARNERS} to be shown.`,
    lastRunDate: runDate,
    scoredAt: sample?.updatedAt ?? null,
    learners,
    latestActivityAt: latest?.activity?.lastActiveAt ?? null,
    outcomes: versions.map(([outcome, version]) => ({ outcome, version, ...metricsOf(version) })),
  };
}
