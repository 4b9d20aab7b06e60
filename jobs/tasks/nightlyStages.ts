import { FlowProducer, type FlowJob, type JobsOptions } from 'bullmq';
import { finishedParts, startStep, stepFinished } from '../../src/scoring/runState';
import { RUN_STEPS, type NightlyRunDoc, type RunStep } from '../../src/storage/models/NightlyRun';
import { jobsSettings, queueConnection } from '../connection';

/** Data of every nightly step job. */
export interface StepProps {
  /** NightlyRun `_id` (`<courseId>|<runDate>`). */
  runId: string;
  /** Learners per partition (default DEFAULT_PARTITION_SIZE). */
  partitionSize?: number;
}

/** Data of a partition job. */
export interface PartitionProps extends StepProps {
  partition: number;
}

/** Job names of the nightly flow (stable: stored in Redis). */
export const NIGHTLY_JOBS = {
  run: 'nightly.course',
  pull: 'nightly.pull',
  aggregate: 'nightly.aggregate',
  featuresPartition: 'nightly.features-partition',
  features: 'nightly.features',
  scorePartition: 'nightly.score-partition',
  score: 'nightly.score',
  emit: 'nightly.emit',
} as const;

/** Retry policy of every step job: a run survives transient database or Redis trouble. */
export const STEP_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

let producer: FlowProducer | undefined;

function flows(): FlowProducer {
  return (producer ??= new FlowProducer({ connection: queueConnection(), prefix: jobsSettings().prefix }));
}

/** Closes this process's flow producer. */
export async function closeNightlyFlows(): Promise<void> {
  const p = producer;
  producer = undefined;
  await p?.close();
}

/** Deterministic job id of a step (and partition) of a run: re-adding it while it exists is a no-op. */
export function stepJobId(runId: string, step: string, partition?: number): string {
  return `nightly-${runId.replace('|', '-')}-${step}${partition === undefined ? '' : `-p${partition}`}`;
}

/** The first step of a run that has not finished, or undefined when all have. */
export function nextStep(run: NightlyRunDoc): RunStep | undefined {
  return RUN_STEPS.find((step) => !stepFinished(run, step));
}

function job(name: string, step: string, props: StepProps, partition?: number, children?: FlowJob[]): FlowJob {
  return {
    name,
    queueName: 'nightly',
    data: partition === undefined ? props : { ...props, partition },
    opts: { ...STEP_OPTIONS, jobId: stepJobId(props.runId, step, partition), failParentOnFailure: true },
    children,
  };
}

/**
 * Schedules the jobs of a stage of a run as a BullMQ flow (children run before their parent):
 * pull → aggregate; features partitions → features (population); score partitions → score → emit.
 * Partitions already finished are left out. Deterministic job ids make this safe to call again
 * (a resume after a crash or a Redis restart adds only the jobs Redis no longer has).
 */
export async function scheduleStage(run: NightlyRunDoc, stage: RunStep, props: StepProps): Promise<void> {
  const partitions = (run.partitions ?? []).map((_, p) => p);
  let flow: FlowJob;
  switch (stage) {
    case 'pull':
    case 'aggregate':
      flow = job(NIGHTLY_JOBS.aggregate, 'aggregate', props, undefined, stepFinished(run, 'pull') ? undefined : [job(NIGHTLY_JOBS.pull, 'pull', props)]);
      break;
    case 'features':
      await startStep(run._id, 'features');
      const featured = await finishedParts(run._id, 'features');
      flow = job(NIGHTLY_JOBS.features, 'features', props, undefined, partitions.filter((p) => !featured.has(p)).map((p) => job(NIGHTLY_JOBS.featuresPartition, 'features', props, p)));
      break;
    case 'score':
      await startStep(run._id, 'score');
      const scored = await finishedParts(run._id, 'score');
      flow = job(NIGHTLY_JOBS.emit, 'emit', props, undefined, [
        job(NIGHTLY_JOBS.score, 'score', props, undefined, partitions.filter((p) => !scored.has(p)).map((p) => job(NIGHTLY_JOBS.scorePartition, 'score', props, p))),
      ]);
      break;
    case 'emit':
      flow = job(NIGHTLY_JOBS.emit, 'emit', props);
      break;
  }
  await flows().add(flow);
}
