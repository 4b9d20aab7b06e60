import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { dayNumber } from '../../domain/activity';
import { refreshNudgeCache } from '../../nudges/refreshNudgeCache';
import { Assignment, assignmentKey } from '../../storage/models/Assignment';
import { Experiment, ExperimentDoc } from '../../storage/models/Experiment';
import { Exposure, exposureKey } from '../../storage/models/Exposure';
import { HOLDOUT_ARM } from '../assignment';
import { computeExperimentOutcomes, OutcomeRun } from '../computeExperimentOutcomes';
import { createExperiment, startExperiment } from '../experimentLifecycle';
import { plantedActivity, ArmEffect } from './plantedActivity';

/** Name of the demo course's experiment (the demo section finds it by this name). */
export const DEMO_EXPERIMENT_NAME = 'XuetangX interventions vs control (demo data)';

/** The planted effect: effort-driven +35% video and +25% problems, certificate messages +15% video, nothing else. */
export const DEMO_EFFECTS: Record<string, ArmEffect> = {
  effort: { video: 1.35, problems: 1.25, activity: 1.1 },
  certificate: { video: 1.15 },
  'certificate-video': { video: 1.15 },
};

export interface DemoExperiment {
  experimentId: string;
  /** Demo-mode link that opens the results page as the course's instructor. */
  resultsPath: string;
  assigned: number;
  outcomes: OutcomeRun | null;
}

/**
 * For `npm run demo`: creates the default experiment (three interventions, control, 10% holdout) on a course,
 * starts it `daysAgo` days back, assigns the learners and builds their widget content, then fills the window
 * with generated post-assignment activity carrying DEMO_EFFECTS and an exposure per treated learner, and
 * computes the outcomes, so the results page shows the planted effect. Idempotent: an existing demo
 * experiment on the course is returned as it is.
 */
export async function startDemoExperiment(props: { courseId: string; redis?: Redis; prefix?: string; daysAgo?: number; now?: Date }): Promise<DemoExperiment> {
  const now = props.now ?? new Date();
  const existing = await Experiment.findOne({ courseId: props.courseId, name: DEMO_EXPERIMENT_NAME }).lean<ExperimentDoc>();
  if (existing) {
    return { experimentId: String(existing._id), resultsPath: `/demo/experiments/${existing._id}`, assigned: await Assignment.countDocuments({ experimentId: existing._id }), outcomes: null };
  }
  const running = await Experiment.find({ courseId: props.courseId, status: 'running' }).select({ _id: 1 }).lean();
  if (running.length) await Experiment.updateMany({ _id: { $in: running.map((r) => r._id) } }, { $set: { status: 'stopped', stoppedAt: now, endDay: dayNumber(now) } });
  const experiment = await createExperiment({ courseId: props.courseId, input: { name: DEMO_EXPERIMENT_NAME } });
  const startedAt = new Date(now.getTime() - (props.daysAgo ?? 28) * 86_400_000);
  await startExperiment({ courseId: props.courseId, experimentId: String(experiment._id), now: startedAt });
  await refreshNudgeCache({ courseId: props.courseId, redis: props.redis, prefix: props.prefix, now: startedAt });

  const armOf = new Map<string, string>();
  for await (const a of Assignment.find({ experimentId: experiment._id }).select({ learnerId: 1, arm: 1 }).lean().cursor()) armOf.set(String(a.learnerId), a.arm);
  const startDay = dayNumber(startedAt);
  const exposures = [...armOf].filter(([learnerId, arm]) => arm !== HOLDOUT_ARM && parseInt(learnerId.slice(-4), 16) % 10 < 8);
  for (let i = 0; i < exposures.length; i += 2000) {
    await Exposure.insertMany(
      exposures.slice(i, i + 2000).map(([learnerId, arm]) => {
        const strategy = experiment.arms.find((x) => x.key === arm)?.strategy ?? 'control';
        return { _id: exposureKey(experiment._id, learnerId, startDay), experimentId: experiment._id, courseId: new Types.ObjectId(props.courseId), learnerId: new Types.ObjectId(learnerId), day: startDay, arm, strategy, placement: strategy === 'certificate-video' ? 'video' : 'widget', text: '', firstAt: startedAt, views: 1 };
      }),
      { ordered: false },
    );
    await Assignment.updateMany({ _id: { $in: exposures.slice(i, i + 2000).map(([learnerId]) => assignmentKey(experiment._id, learnerId)) } }, { $inc: { exposureDays: 1 } });
  }
  const outcomes = await computeExperimentOutcomes({ experimentId: String(experiment._id), reader: plantedActivity(armOf, DEMO_EFFECTS), now });
  return { experimentId: String(experiment._id), resultsPath: `/demo/experiments/${experiment._id}`, assigned: armOf.size, outcomes };
}
