import mongoose, { InferSchemaType, Schema, Types } from 'mongoose';
import { NUDGE_STRATEGIES } from '../../nudges/strategies';

const armSchema = new Schema(
  {
    /** Stable key within the experiment, e.g. `effort`; used in assignments and exports. */
    key: { type: String, required: true },
    label: { type: String, required: true },
    strategy: { type: String, enum: NUDGE_STRATEGIES, required: true },
    /** Relative weight (any positive scale). */
    weight: { type: Number, required: true, min: 0 },
    /** Control arms only: a neutral message to show instead of nothing. */
    neutralMessage: { type: String },
  },
  { _id: false },
);

/**
 * A randomized experiment of learner nudges in one course: arms with weights, a holdout share that
 * gets no nudge and stays out of the comparison, optional stratification by predicted dropout risk
 * and/or behaviour cluster.
 * `salt` (random per experiment) makes assignment deterministic from (experiment, learner).
 * Window: UTC day numbers from `startDay` to `endDay` (inclusive; open while running).
 */
const experimentSchema = new Schema(
  {
    courseId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    status: { type: String, enum: ['draft', 'running', 'stopped'], default: 'draft' },
    arms: { type: [armSchema], required: true },
    /** Share of learners (0..0.5) held out of every arm; they see no nudge. */
    holdout: { type: Number, default: 0, min: 0, max: 0.5 },
    stratifyByDropout: { type: Boolean, default: false },
    /** Strata are the behaviour clusters of the course's latest clustering at assignment time. */
    stratifyByCluster: { type: Boolean, default: false },
    salt: { type: String, required: true },
    createdBy: { type: String },
    startedAt: { type: Date, default: null },
    stoppedAt: { type: Date, default: null },
    startDay: { type: Number, default: null },
    endDay: { type: Number, default: null },
    /** Learners left out because they opted out of nudges, as of the last assignment run. */
    optedOutCount: { type: Number, default: 0 },
    outcomesComputedAt: { type: Date, default: null },
    /** Last UTC day the stored outcomes cover. */
    outcomesThroughDay: { type: Number, default: null },
  },
  { timestamps: true, collection: 'experiments' },
);
experimentSchema.index({ courseId: 1, status: 1 });
experimentSchema.index({ courseId: 1, createdAt: -1 });

export type ExperimentDoc = InferSchemaType<typeof experimentSchema> & { _id: Types.ObjectId };
export type ExperimentArm = ExperimentDoc['arms'][number];
export const Experiment = mongoose.model('Experiment', experimentSchema);
