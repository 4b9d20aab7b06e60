import mongoose, { InferSchemaType, Schema } from 'mongoose';

/** The steps of a nightly course run, in order. */
export const RUN_STEPS = ['pull', 'aggregate', 'features', 'score', 'emit'] as const;
export type RunStep = (typeof RUN_STEPS)[number];

const stepSchema = new Schema(
  {
    status: { type: String, enum: ['pending', 'running', 'done', 'skipped', 'failed'], default: 'pending' },
    startedAt: { type: Date },
    finishedAt: { type: Date },
    /** One line for the Runs page ("no data connections", "3 partitions", ...). */
    note: { type: String },
  },
  { _id: false },
);

const partitionSchema = new Schema(
  {
    /** First and last learner `_id` (hex) of the partition, inclusive. */
    from: { type: String, required: true },
    to: { type: String, required: true },
    learners: { type: Number, required: true },
  },
  { _id: false },
);

/**
 * One nightly run of one course for one run date: the unit of idempotency. `_id` is `<courseId>|<runDate>`,
 * so starting the same run twice finds the same document. Steps record their progress here (not in Redis),
 * which is what lets a run resume after a worker crash or a Redis restart without redoing finished work.
 */
const nightlyRunSchema = new Schema(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    runDate: { type: String, required: true },
    /** Last UTC day number of activity the run reads (the day before the run date). */
    asOfDay: { type: Number, required: true },
    status: { type: String, enum: ['running', 'completed', 'failed'], default: 'running' },
    /** The step the run is in (what a resume re-schedules). */
    stage: { type: String, enum: RUN_STEPS, default: 'pull' },
    trigger: { type: String, enum: ['schedule', 'cli', 'admin', 'recovery'], default: 'schedule' },
    steps: {
      pull: { type: stepSchema, default: () => ({}) },
      aggregate: { type: stepSchema, default: () => ({}) },
      features: { type: stepSchema, default: () => ({}) },
      score: { type: stepSchema, default: () => ({}) },
      emit: { type: stepSchema, default: () => ({}) },
    },
    partitions: { type: [partitionSchema], default: [] },
    learners: { type: Number, default: 0 },
    /** Learners scored, set when the score step finishes (partition progress lives in nightly_run_parts). */
    learnersScored: { type: Number, default: 0 },
    /**
     * Course population statistics of the base features and the course median learner, as one JSON string
     * (FerretDB stores no nested arrays): the reference for context features and explanations.
     */
    population: { type: String, default: null },
    /** Model version used per outcome. */
    modelVersions: { dropout: String, completion: String, certificate: String },
    /** Course-level "what would help" (median of the learners' model estimates; not causal effects). */
    whatIf: {
      certificatePerVideoHour: { type: Number },
      certificatePerProblem: { type: Number },
      note: { type: String },
    },
    /** Mean predictions, for the Runs page. */
    means: { dropout: Number, completion: Number, certificate: Number },
    error: { type: String },
    heartbeatAt: { type: Date, default: () => new Date() },
    startedAt: { type: Date, default: () => new Date() },
    finishedAt: { type: Date },
  },
  { collection: 'nightly_runs', versionKey: false, _id: false, minimize: false },
);
nightlyRunSchema.index({ courseId: 1, runDate: -1 });
nightlyRunSchema.index({ status: 1, heartbeatAt: 1 });

export type NightlyRunDoc = InferSchemaType<typeof nightlyRunSchema> & { _id: string };
export const NightlyRun = mongoose.model('NightlyRun', nightlyRunSchema);

/** The `_id` of a course's run for a run date. */
export function nightlyRunId(courseId: string, runDate: string): string {
  return `${courseId}|${runDate}`;
}
