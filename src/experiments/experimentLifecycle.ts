import { Types } from 'mongoose';
import { dayNumber } from '../domain/activity';
import { ConflictError, NotFoundError } from '../errors';
import { Experiment, ExperimentDoc } from '../storage/models/Experiment';
import { experimentInputSchema, ExperimentInput, newSalt } from './experimentDefinition';

/** Creates a draft experiment in a course (validated input; default arms and holdout when omitted). */
export async function createExperiment(props: { courseId: string; input: ExperimentInput; createdBy?: string; salt?: string }): Promise<ExperimentDoc> {
  const input = experimentInputSchema.parse(props.input);
  const doc = await Experiment.create({ courseId: new Types.ObjectId(props.courseId), ...input, salt: props.salt ?? newSalt(), createdBy: props.createdBy, status: 'draft' });
  return doc.toObject() as ExperimentDoc;
}

async function loadInCourse(courseId: string, experimentId: string): Promise<ExperimentDoc> {
  const experiment = await Experiment.findOne({ _id: experimentId, courseId }).lean<ExperimentDoc>();
  if (!experiment) throw NotFoundError('No such experiment in this course.');
  return experiment;
}

/**
 * Starts a draft experiment: one running experiment per course, so nudges never mix designs. The window
 * opens today (UTC day). Assignment and the widget content follow in the nudge-cache refresh.
 */
export async function startExperiment(props: { courseId: string; experimentId: string; now?: Date }): Promise<ExperimentDoc> {
  const experiment = await loadInCourse(props.courseId, props.experimentId);
  if (experiment.status !== 'draft') throw ConflictError(`This experiment is ${experiment.status}; only a draft can be started.`);
  const running = await Experiment.findOne({ courseId: props.courseId, status: 'running' }).select({ name: 1 }).lean();
  if (running) throw ConflictError(`"${running.name}" is already running in this course; stop it first.`);
  const now = props.now ?? new Date();
  const updated = await Experiment.findOneAndUpdate(
    { _id: experiment._id, status: 'draft' },
    { $set: { status: 'running', startedAt: now, startDay: dayNumber(now) } },
    { returnDocument: 'after' },
  ).lean<ExperimentDoc>();
  if (!updated) throw ConflictError('This experiment was started or stopped by someone else just now.');
  return updated;
}

/** Stops a running experiment: its window closes today (inclusive) and its learners stop seeing its nudges at the next refresh. */
export async function stopExperiment(props: { courseId: string; experimentId: string; now?: Date }): Promise<ExperimentDoc> {
  const experiment = await loadInCourse(props.courseId, props.experimentId);
  if (experiment.status !== 'running') throw ConflictError(`This experiment is ${experiment.status}; only a running one can be stopped.`);
  const now = props.now ?? new Date();
  const updated = await Experiment.findOneAndUpdate(
    { _id: experiment._id, status: 'running' },
    { $set: { status: 'stopped', stoppedAt: now, endDay: dayNumber(now) } },
    { returnDocument: 'after' },
  ).lean<ExperimentDoc>();
  if (!updated) throw ConflictError('This experiment was stopped by someone else just now.');
  return updated;
}
