import { Types } from 'mongoose';
import { dayNumber } from '../../src/domain/activity';
import { ExposureBatcher } from '../../src/experiments/ExposureBatcher';
import type { WidgetContent } from '../../src/nudges/nudgeContent';
import { Assignment, assignmentKey } from '../../src/storage/models/Assignment';
import { Exposure, exposureKey } from '../../src/storage/models/Exposure';
import { useTestDb } from '../support';

useTestDb();

const NOW = new Date('2025-03-12T10:00:00Z');
const DAY = dayNumber(NOW);

function contentIn(experimentId: string, arm: string, overrides: Partial<WidgetContent> = {}): WidgetContent {
  return { v: 1, optedOut: false, experimentId, arm, strategy: arm === 'control' ? 'control' : 'effort', messages: { widget: `Text for ${arm}`, video: null }, why: { widget: 'why', video: 'why' }, ...overrides };
}

/** An experiment with one assigned learner per given arm. */
async function assigned(arms: string[]): Promise<{ experimentId: string; courseId: string; learners: string[] }> {
  const experimentId = new Types.ObjectId();
  const courseId = new Types.ObjectId();
  const learners = arms.map(() => new Types.ObjectId());
  await Assignment.insertMany(learners.map((learnerId, i) => ({ _id: assignmentKey(experimentId, learnerId), experimentId, courseId, learnerId, arm: arms[i], day: DAY - 1 })));
  return { experimentId: String(experimentId), courseId: String(courseId), learners: learners.map(String) };
}

describe('ExposureBatcher', () => {
  it('writes one exposure per learner-day in a batch, with its views, and raises exposureDays once', async () => {
    const { experimentId, courseId, learners } = await assigned(['effort', 'control']);
    const batcher = new ExposureBatcher({ flushIntervalMs: 60_000 });
    expect(batcher.record({ courseId, learnerId: learners[0], content: contentIn(experimentId, 'effort'), placement: 'widget', now: NOW })).toEqual({ logged: true, firstToday: true });
    expect(batcher.record({ courseId, learnerId: learners[0], content: contentIn(experimentId, 'effort'), placement: 'video', now: NOW })).toEqual({ logged: true, firstToday: false });
    expect(batcher.record({ courseId, learnerId: learners[1], content: contentIn(experimentId, 'control'), placement: 'video', now: NOW })).toEqual({ logged: true, firstToday: true });
    expect(await Exposure.countDocuments({ experimentId })).toBe(0);
    await batcher.close();

    const effort = await Exposure.findById(exposureKey(experimentId, learners[0], DAY)).lean();
    expect(effort).toMatchObject({ arm: 'effort', strategy: 'effort', placement: 'widget', text: 'Text for effort', views: 2, day: DAY, firstAt: NOW });
    expect(String(effort!.learnerId)).toBe(learners[0]);
    expect(await Exposure.findById(exposureKey(experimentId, learners[1], DAY)).lean()).toMatchObject({ arm: 'control', placement: 'video', text: '', views: 1 });
    expect((await Assignment.find({ experimentId }).sort({ arm: 1 }).lean()).map((a) => a.exposureDays)).toEqual([1, 1]);
  });

  it('counts the same learner-day recorded by two web processes once, adding both views', async () => {
    const { experimentId, courseId, learners } = await assigned(['effort']);
    const a = new ExposureBatcher({ flushIntervalMs: 60_000 });
    const b = new ExposureBatcher({ flushIntervalMs: 60_000 });
    const view = { courseId, learnerId: learners[0], content: contentIn(experimentId, 'effort'), placement: 'widget' as const, now: NOW };
    a.record(view);
    a.record(view);
    b.record(view);
    await a.flush();
    await b.flush();
    // A later view in the same process only raises views.
    expect(b.record(view)).toEqual({ logged: true, firstToday: false });
    await b.close();
    await a.close();
    expect(await Exposure.find({ experimentId }).lean()).toEqual([expect.objectContaining({ views: 4 })]);
    expect((await Assignment.findById(assignmentKey(experimentId, learners[0])).lean())!.exposureDays).toBe(1);
  });

  it('writes on its own timer and when maxPending learner-days are waiting', async () => {
    const { experimentId, courseId, learners } = await assigned(['effort', 'effort', 'effort']);
    const timed = new ExposureBatcher({ flushIntervalMs: 50 });
    timed.record({ courseId, learnerId: learners[0], content: contentIn(experimentId, 'effort'), placement: 'widget', now: NOW });
    for (let i = 0; i < 100 && !(await Exposure.countDocuments({ experimentId })); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await Exposure.countDocuments({ experimentId })).toBe(1);
    await timed.close();

    const full = new ExposureBatcher({ flushIntervalMs: 60_000, maxPending: 2 });
    full.record({ courseId, learnerId: learners[1], content: contentIn(experimentId, 'effort'), placement: 'widget', now: NOW });
    expect(full.pendingCount).toBe(1);
    full.record({ courseId, learnerId: learners[2], content: contentIn(experimentId, 'effort'), placement: 'widget', now: NOW });
    await full.flush();
    expect(await Exposure.countDocuments({ experimentId })).toBe(3);
    await full.close();
  });

  it('keeps a batch whose write failed and writes it, views included, with the next flush', async () => {
    const { experimentId, courseId, learners } = await assigned(['effort']);
    const batcher = new ExposureBatcher({ flushIntervalMs: 60_000 });
    const view = { courseId, learnerId: learners[0], content: contentIn(experimentId, 'effort'), placement: 'widget' as const, now: NOW };
    batcher.record(view);
    batcher.record(view);
    const insert = jest.spyOn(Exposure.collection, 'insertMany').mockRejectedValueOnce(new Error('connection reset'));
    try {
      await expect(batcher.flush()).rejects.toThrow('connection reset');
    } finally {
      insert.mockRestore();
    }
    expect(batcher.pendingCount).toBe(1);
    batcher.record(view);
    await batcher.close();
    expect(await Exposure.find({ experimentId }).lean()).toEqual([expect.objectContaining({ views: 3 })]);
    expect((await Assignment.findById(assignmentKey(experimentId, learners[0])).lean())!.exposureDays).toBe(1);
  });

  it('does not count the holdout, opted-out learners or content outside an experiment', async () => {
    const { experimentId, courseId, learners } = await assigned(['holdout', 'effort']);
    const batcher = new ExposureBatcher({ flushIntervalMs: 60_000 });
    const none = { logged: false, firstToday: false };
    expect(batcher.record({ courseId, learnerId: learners[0], content: contentIn(experimentId, 'holdout'), placement: 'widget', now: NOW })).toEqual(none);
    expect(batcher.record({ courseId, learnerId: learners[1], content: contentIn(experimentId, 'effort', { optedOut: true }), placement: 'widget', now: NOW })).toEqual(none);
    expect(batcher.record({ courseId, learnerId: learners[1], content: contentIn(experimentId, 'effort', { experimentId: null }), placement: 'widget', now: NOW })).toEqual(none);
    expect(batcher.pendingCount).toBe(0);
    await batcher.close();
    expect(await Exposure.countDocuments({ experimentId })).toBe(0);
  });
});
