import { Types } from 'mongoose';
import { dayNumber } from '../domain/activity';
import { log } from '../log';
import { Assignment, assignmentKey } from '../storage/models/Assignment';
import { Course } from '../storage/models/Course';
import { Experiment, ExperimentDoc } from '../storage/models/Experiment';
import { Learner } from '../storage/models/Learner';
import { Score } from '../storage/models/Score';
import { clusterLabelsOf } from '../insights/clusterAudience';
import { assignmentUnit, dealArms, dropoutStratum, hashedArm, HOLDOUT_ARM, isHeldOut, Stratum, STRATUM_SEPARATOR, UNCLUSTERED } from './assignment';

const BATCH = 2000;

export interface AssignmentRun {
  /** Learners newly assigned in this run. */
  assigned: number;
  /** Learners already assigned before (unchanged). */
  existing: number;
  /** Active learners left out because they opted out of nudges. */
  optedOut: number;
}

interface Pending {
  learnerId: string;
  stratum: Stratum;
  unit: number;
}

/**
 * Assigns every active, not-opted-out learner of a running experiment's course who has no assignment yet.
 * Unstratified: the arm is a pure function of (experiment salt, learner id). Stratified by predicted dropout
 * risk (latest scores) and/or behaviour cluster (latest clustering; learners not clustered yet form the
 * `unclustered` stratum): the holdout is hashed the same way, then each stratum's new learners, in hash
 * order, are dealt arms by weighted round-robin continuing from the stratum's earlier count, which keeps
 * strata balanced. Assignments are written once under a unique index, so reruns and concurrent runs never
 * move a learner, and a learner whose cluster changes later keeps their arm and stratum.
 */
export async function assignLearners(experiment: ExperimentDoc, now = new Date()): Promise<AssignmentRun> {
  const experimentId = experiment._id;
  const courseId = experiment.courseId;
  const existing = new Set<string>();
  for await (const a of Assignment.find({ experimentId }).select({ learnerId: 1 }).lean().cursor({ batchSize: 5000 })) existing.add(String(a.learnerId));

  const course = await Course.findById(courseId).select({ lastScoredRunDate: 1 }).lean();
  const runDate = course?.lastScoredRunDate ?? null;
  const pending: Pending[] = [];
  let optedOut = 0;
  let batch: Array<{ _id: Types.ObjectId }> = [];
  const flush = async () => {
    const ids = batch.map((l) => l._id);
    batch = [];
    const dropout = new Map<string, number>();
    if (experiment.stratifyByDropout && runDate) {
      const scores = await Score.find({ courseId, runDate, learnerId: { $in: ids } }).select({ learnerId: 1, dropout: 1 }).lean();
      for (const s of scores) dropout.set(String(s.learnerId), s.dropout);
    }
    const clusters = experiment.stratifyByCluster ? await clusterLabelsOf(String(courseId), ids.map(String)) : new Map<string, string>();
    for (const id of ids) {
      const learnerId = String(id);
      const parts = [...(experiment.stratifyByDropout ? [dropoutStratum(dropout.get(learnerId))] : []), ...(experiment.stratifyByCluster ? [clusters.get(learnerId) ?? UNCLUSTERED] : [])];
      pending.push({ learnerId, stratum: parts.length ? parts.join(STRATUM_SEPARATOR) : 'all', unit: assignmentUnit(experiment.salt, learnerId) });
    }
  };
  const cursor = Learner.find({ courseId, status: 'active' }).select({ _id: 1, optOut: 1 }).lean().cursor({ batchSize: 5000 });
  for await (const learner of cursor) {
    if (learner.optOut?.nudges) {
      if (!existing.has(String(learner._id))) optedOut++;
      continue;
    }
    if (existing.has(String(learner._id))) continue;
    batch.push({ _id: learner._id });
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();

  const arms = experiment.arms.map((a) => ({ key: a.key, weight: a.weight }));
  const day = dayNumber(now);
  const docs: Array<{ _id: string; experimentId: Types.ObjectId; courseId: Types.ObjectId; learnerId: Types.ObjectId; arm: string; stratum: string; day: number }> = [];
  const push = (p: Pending, arm: string) => docs.push({ _id: assignmentKey(experimentId, p.learnerId), experimentId, courseId, learnerId: new Types.ObjectId(p.learnerId), arm, stratum: p.stratum, day });
  if (!experiment.stratifyByDropout && !experiment.stratifyByCluster) {
    for (const p of pending) push(p, hashedArm(experiment.salt, p.learnerId, arms, experiment.holdout));
  } else {
    const byStratum = new Map<Stratum, Pending[]>();
    for (const p of pending) {
      if (isHeldOut(experiment.salt, p.learnerId, experiment.holdout)) push(p, HOLDOUT_ARM);
      else byStratum.set(p.stratum, [...(byStratum.get(p.stratum) ?? []), p]);
    }
    for (const [stratum, members] of byStratum) {
      members.sort((a, b) => a.unit - b.unit || a.learnerId.localeCompare(b.learnerId));
      const already = await Assignment.countDocuments({ experimentId, stratum, arm: { $ne: HOLDOUT_ARM } });
      const dealt = dealArms(arms, already, members.length);
      members.forEach((p, i) => push(p, dealt[i]));
    }
  }
  let assigned = 0;
  for (let i = 0; i < docs.length; i += BATCH) {
    const slice = docs.slice(i, i + BATCH);
    try {
      const res = await Assignment.insertMany(slice, { ordered: false, rawResult: true });
      assigned += res.insertedCount;
    } catch (error) {
      // Duplicate keys mean another run assigned those learners first: theirs stands.
      const inserted = (error as { insertedDocs?: unknown[]; result?: { insertedCount?: number } }).result?.insertedCount ?? (error as { insertedDocs?: unknown[] }).insertedDocs?.length;
      if ((error as { code?: number }).code !== 11000 && !String((error as Error).message).includes('E11000')) throw error;
      assigned += inserted ?? 0;
    }
  }
  await Experiment.updateOne({ _id: experimentId }, { $set: { optedOutCount: optedOut } });
  log.info({ experimentId: String(experimentId), assigned, existing: existing.size, optedOut }, 'experiment assignment run');
  return { assigned, existing: existing.size, optedOut };
}
