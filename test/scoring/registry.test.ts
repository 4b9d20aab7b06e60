import { Types } from 'mongoose';
import { storeOutcomes } from '../../src/ingest/outcomes';
import { initBackend } from '../../src/models/backend';
import { buildModelData, type CourseInput } from '../../src/models/ModelData';
import { serializePredictor } from '../../src/models/serialize';
import { trainPredictor } from '../../src/models/trainer';
import { activeVersion, loadPredictor, registerModel, unloadPredictors } from '../../src/registry/modelRegistry';
import { installDefaultModels } from '../../src/registry/defaultModels';
import { asOfDayOf } from '../../src/scoring/runDate';
import { runCourseNow } from '../../src/scoring/runCourseNow';
import { learnerWindow, SCORING_SPEC } from '../../src/scoring/scoringSpec';
import { trainFromRuns } from '../../src/scoring/trainFromRuns';
import { ModelVersion } from '../../src/storage/models/ModelVersion';
import { mixedLearners, seedCourse } from './seedCourse';
import { useTestDb } from '../support';

useTestDb();
afterAll(() => unloadPredictors());

const AS_OF = 20_100;
/** Two small labelled courses (label: active in the last week), as model inputs. */
function courses(): CourseInput[] {
  return ['a', 'b'].map((id, c) => ({
    courseId: id,
    window: { start: AS_OF - 27, end: AS_OF },
    learners: mixedLearners(60 + c * 12, AS_OF - 27, 28).map((l) => ({ days: l.days, window: learnerWindow(AS_OF, { courseStartDay: AS_OF - 27, enrolledDay: l.enrolledDay }), label: l.days.some((d) => d.day > AS_OF - 7) ? 1 : 0 })),
  }));
}

async function trainedBuffer(seed: number) {
  await initBackend();
  const data = buildModelData(courses(), SCORING_SPEC);
  const { predictor } = await trainPredictor(data, SCORING_SPEC, { kind: 'lr', folds: 2, seed, training: { lr: { epochs: 3 } } });
  return { predictor, data, buffer: await serializePredictor(predictor) };
}

describe('model registry', () => {
  const courseId = new Types.ObjectId().toHexString();
  const scope = { outcome: 'dropout' as const, scope: 'course' as const, key: courseId, architecture: 'lr' };

  it('saves a model to MongoDB and loads it back with identical predictions', async () => {
    const { predictor, data, buffer } = await trainedBuffer(1);
    const result = await registerModel({ ...scope, buffer, metrics: { auc: 0.8 } });
    expect(result).toMatchObject({ promoted: true, reason: 'first version in this scope' });
    const loaded = await loadPredictor(result.version);
    expect(Array.from(await loaded.predict(data))).toEqual(Array.from(await predictor.predict(data)));
    predictor.dispose();
  });

  it('keeps the active version when a candidate does worse on the same validation rows', async () => {
    const active = (await activeVersion('dropout', { courseId }))!;
    const { buffer, predictor } = await trainedBuffer(2);
    predictor.dispose();
    const result = await registerModel({ ...scope, buffer, metrics: { auc: 0.79 }, incumbentAuc: 0.8 });
    expect(result).toMatchObject({ promoted: false, reason: 'validation AUC 0.7900 < active 0.8000' });
    expect((await ModelVersion.findById(result.version).lean())!.status).toBe('rejected');
    expect((await activeVersion('dropout', { courseId }))!._id).toBe(active._id);
  });

  it('promotes a candidate that does at least as well (a tie goes to the newcomer) and retires the old one', async () => {
    const old = (await activeVersion('dropout', { courseId }))!;
    const { buffer, predictor } = await trainedBuffer(3);
    predictor.dispose();
    const result = await registerModel({ ...scope, buffer, metrics: { auc: 0.8 }, incumbentAuc: 0.8 });
    expect(result).toMatchObject({ promoted: true, reason: 'validation AUC 0.8000 >= active 0.8000' });
    expect((await activeVersion('dropout', { courseId }))!._id).toBe(result.version);
    expect((await ModelVersion.findById(old._id).lean())!.status).toBe('retired');
    expect(await ModelVersion.countDocuments({ outcome: 'dropout', scope: 'course', scopeKey: courseId, status: 'active' })).toBe(1);
  });

  it('falls back from the course to its platform to the shipped default', async () => {
    await installDefaultModels();
    const other = new Types.ObjectId().toHexString();
    expect((await activeVersion('completion', { courseId: other, platform: 'canvas' }))!.scope).toBe('default');
    const { buffer, predictor } = await trainedBuffer(4);
    predictor.dispose();
    await registerModel({ outcome: 'completion', scope: 'platform', key: 'canvas', architecture: 'lr', buffer, metrics: { auc: 0.7 } });
    expect((await activeVersion('completion', { courseId: other, platform: 'canvas' }))!.scope).toBe('platform');
    expect((await activeVersion('completion', { courseId: other, platform: 'openedx' }))!.scope).toBe('default');
    expect(await installDefaultModels()).toMatchObject({ dropout: { reason: 'already the active version' } });
  });
});

describe('training a course model from earlier runs', () => {
  it('labels earlier snapshots with known outcomes and applies the promotion rule', async () => {
    const runDates = ['2025-03-03', '2025-03-10'];
    const start = asOfDayOf(runDates[1]) - 34;
    const { courseId, learnerIds } = await seedCourse(mixedLearners(90, start, 35), { startDay: start });
    for (const date of runDates) await runCourseNow(courseId, date, { partitionSize: 50 });
    // Completion known for every learner: those of the regular, video and problem kinds completed.
    await storeOutcomes(courseId, 'completion', 'test', learnerIds.map((ref, i) => ({ ref, value: [0, 2, 3].includes(i % 6) ? 1 : 0 })));
    const trainInProcess = async (job: { courses: CourseInput[] }) => {
      const { predictor, report } = await trainPredictor(buildModelData(job.courses, SCORING_SPEC), SCORING_SPEC, { kind: 'lr', outcome: 'completion', folds: 3, training: { lr: { epochs: 5 } } });
      const model = await serializePredictor(predictor);
      predictor.dispose();
      return { model, report };
    };
    const [result] = await trainFromRuns(courseId, { outcomes: ['completion'], train: trainInProcess });
    expect(result).toMatchObject({ outcome: 'completion', rows: 180, positives: 90 });
    expect(result.incumbent!.version).toMatch(/^completion-default-default-/);
    expect(result.registration!.promoted).toBe(result.candidateAuc! >= result.incumbent!.auc);
    const [dropout] = await trainFromRuns(courseId, { outcomes: ['dropout'], train: trainInProcess });
    expect(dropout.skipped).toBe('no labelled learners in earlier runs');
  }, 180_000);
});
