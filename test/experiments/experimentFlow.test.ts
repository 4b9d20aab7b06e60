import { Types } from 'mongoose';
import { analyzeExperiment } from '../../src/experiments/analyzeExperiment';
import { computeExperimentOutcomes } from '../../src/experiments/computeExperimentOutcomes';
import { createExperiment, startExperiment, stopExperiment } from '../../src/experiments/experimentLifecycle';
import { hashedArm } from '../../src/experiments/assignment';
import { resultsCsv, outcomesCsv } from '../../src/experiments/resultsCsv';
import { refreshNudgeCache } from '../../src/nudges/refreshNudgeCache';
import { Assignment } from '../../src/storage/models/Assignment';
import { Experiment } from '../../src/storage/models/Experiment';
import { ExperimentOutcome } from '../../src/storage/models/ExperimentOutcome';
import { Learner } from '../../src/storage/models/Learner';
import { useTestDb, useTestRedis } from '../support';
import { generatedReader, seedCourse } from './fixtures';

useTestDb();
const redis = useTestRedis();

describe('an experiment from start to results', () => {
  const START = new Date('2025-03-03T09:00:00Z');
  let courseId: string;
  let learnerIds: string[];
  let experimentId: string;

  beforeAll(async () => {
    ({ courseId, learnerIds } = await seedCourse({ learners: 800, optedOut: (i) => i % 50 === 0 }));
    const experiment = await createExperiment({ courseId, input: { name: 'XiaoMu replication' }, salt: 'fixed-salt' });
    experimentId = String(experiment._id);
    await startExperiment({ courseId, experimentId, now: START });
  });

  it('assigns every active learner who did not opt out, deterministically, and counts the opted-out', async () => {
    const result = await refreshNudgeCache({ courseId, redis: redis.redis(), prefix: redis.prefix, now: START });
    expect(result.assignment).toEqual({ assigned: 784, existing: 0, optedOut: 16 });
    const assignments = await Assignment.find({ experimentId }).lean();
    expect(assignments).toHaveLength(784);
    const arms = (await Experiment.findById(experimentId).lean())!.arms.map((a) => ({ key: a.key, weight: a.weight }));
    for (const a of assignments) expect(a.arm).toBe(hashedArm('fixed-salt', String(a.learnerId), arms, 0.1));
    const optedOut = new Set(learnerIds.filter((_, i) => i % 50 === 0));
    expect(assignments.some((a) => optedOut.has(String(a.learnerId)))).toBe(false);
    expect((await Experiment.findById(experimentId).lean())!.optedOutCount).toBe(16);
  });

  it('never moves an assigned learner on later runs, and assigns learners who enrol later', async () => {
    const before = new Map((await Assignment.find({ experimentId }).lean()).map((a) => [String(a.learnerId), a.arm]));
    await Experiment.updateOne({ _id: experimentId }, { $set: { 'arms.0.weight': 50 } }); // a changed design must not move anyone
    const late = await Learner.create({ courseId: new Types.ObjectId(courseId), pseudonym: 'L-late' });
    const rerun = await refreshNudgeCache({ courseId, redis: redis.redis(), prefix: redis.prefix });
    expect(rerun.assignment).toEqual({ assigned: 1, existing: 784, optedOut: 16 });
    const after = await Assignment.find({ experimentId }).lean();
    for (const a of after) if (String(a.learnerId) !== String(late._id)) expect(a.arm).toBe(before.get(String(a.learnerId)));
    await Experiment.updateOne({ _id: experimentId }, { $set: { 'arms.0.weight': 1 } });
    await Assignment.deleteOne({ learnerId: late._id });
    await Learner.deleteOne({ _id: late._id });
  });

  it('computes outcomes over the window and the analysis finds a planted effect on video time only in the effort arm', async () => {
    const armOf = new Map((await Assignment.find({ experimentId }).lean()).map((a) => [String(a.learnerId), a.arm]));
    const reader = generatedReader(learnerIds, (id) => (armOf.get(id) === 'effort' ? 1.5 : 1));
    await stopExperiment({ courseId, experimentId, now: new Date('2025-03-30T12:00:00Z') });
    const run = await computeExperimentOutcomes({ experimentId, reader });
    expect(run).toEqual({ experimentId, fromDay: 20150, toDay: 20177, learners: 784, withoutActivity: 0, ignored: 16 });
    expect(await ExperimentOutcome.countDocuments({ experimentId })).toBe(784);

    const results = await analyzeExperiment(experimentId, courseId);
    expect(results.groups.map((g) => g.key)).toEqual(['certificate', 'certificate-video', 'effort', 'control', 'holdout']);
    expect(results.groups.reduce((s, g) => s + g.assigned, 0)).toBe(784);
    expect(results.srm.mismatch).toBe(false);
    expect(results.optedOut).toBe(16);
    expect(results.window).toEqual({ from: '2025-03-03', through: '2025-03-30' });
    const video = results.metrics.find((m) => m.metric === 'videoMinutes')!;
    const effort = video.groups.find((g) => g.arm === 'effort')!;
    const control = video.groups.find((g) => g.arm === 'control')!;
    expect(effort.vsControl!.pValue).toBeLessThan(0.001);
    expect(effort.vsControl!.difference).toBeGreaterThan(0.4 * control.summary.mean);
    expect(effort.vsControl!.ciLow).toBeGreaterThan(0);
    expect(control.vsControl).toBeNull();
    // The family: every arm-vs-control test that could be computed (3 arms × 5 outcomes at most; with dropout this
    // rare in generated activity, an arm and the control may both have none, and that test cannot be made).
    const tests = results.metrics.flatMap((m) => m.groups.filter((g) => g.vsControl));
    expect(results.family).toEqual({ method: 'holm-bonferroni', alpha: 0.05, size: tests.length });
    expect(tests.length).toBeGreaterThanOrEqual(12);
    expect(tests.length).toBeLessThanOrEqual(15);
    expect(results.metrics.flatMap((m) => m.groups.filter((g) => !g.vsControl)).every((g) => g.adjustedPValue === null && !g.significant)).toBe(true);
    expect(effort.adjustedPValue!).toBeGreaterThanOrEqual(effort.vsControl!.pValue);
    expect(effort.adjustedPValue!).toBeLessThan(0.01);
    expect(effort.significant).toBe(true);
    expect(control).toMatchObject({ adjustedPValue: null, significant: false });
    const activeDays = results.metrics.find((m) => m.metric === 'activeDays')!;
    for (const g of activeDays.groups) if (g.vsControl) expect(g.vsControl.pValue).toBeGreaterThan(0.001);

    const csv = resultsCsv(results);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('experiment,metric,group,assigned,n,mean,sd,difference_vs_control,ci95_low,ci95_high,welch_df,p_value,p_value_holm,significant_holm');
    expect(lines).toHaveLength(1 + 5 * 5);
    const effortRow = lines.find((l) => l.startsWith('XiaoMu replication,videoMinutes,effort,'))!.split(',');
    expect(effortRow[4]).toBe(String(effort.summary.n));
    expect(effortRow.slice(11)).toEqual([String(effort.vsControl!.pValue), String(effort.adjustedPValue), 'true']);
    let perLearner = '';
    for await (const chunk of outcomesCsv(experimentId)) perLearner += chunk;
    expect(perLearner.trim().split('\r\n')).toHaveLength(785);
  });

  it('refuses a second running experiment and lifecycle moves out of order', async () => {
    const second = await createExperiment({ courseId, input: { name: 'Second' } });
    await startExperiment({ courseId, experimentId: String(second._id) });
    const third = await createExperiment({ courseId, input: { name: 'Third' } });
    await expect(startExperiment({ courseId, experimentId: String(third._id) })).rejects.toThrow('"Second" is already running in this course; stop it first.');
    await expect(stopExperiment({ courseId, experimentId: String(third._id) })).rejects.toThrow('This experiment is draft; only a running one can be stopped.');
    await expect(createExperiment({ courseId, input: { name: 'Bad', arms: [{ key: 'a', label: 'A', strategy: 'effort', weight: 1 }, { key: 'b', label: 'B', strategy: 'effort', weight: 1 }] } })).rejects.toThrow('needs exactly one control arm to compare against');
    await stopExperiment({ courseId, experimentId: String(second._id) });
  });
});
