import { RUN_STEPS, type NightlyRunDoc } from '../../../storage/models/NightlyRun';

/** What the Runs page shows of a run (never the raw document: the population statistics stay server-side). */
export interface RunView {
  id: string;
  courseId: string;
  courseTitle: string;
  runDate: string;
  status: string;
  stage: string;
  trigger: string;
  learners: number;
  learnersScored: number;
  steps: { name: string; status: string; note: string; seconds: string }[];
  /** "3/5 partitions featurized, 1/5 scored" while running. */
  progress: string;
  /** 0-100, for the progress bar. */
  percent: number;
  startedAt: string;
  finishedAt: string;
  error: string;
  modelVersions: { outcome: string; version: string }[];
  means: string;
  whatIf: string;
}

const iso = (d?: Date | null) => (d ? new Date(d).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '');

/** Presents a run with its finished partition counts. */
export function presentRun(run: NightlyRunDoc, courseTitle: string, parts: { features: number; score: number }): RunView {
  const partitions = run.partitions?.length ?? 0;
  const done = RUN_STEPS.filter((s) => ['done', 'skipped'].includes(run.steps?.[s]?.status ?? '')).length;
  const partial = partitions ? (parts.features + parts.score) / (2 * partitions) : 0;
  const percent = run.status === 'completed' ? 100 : Math.round((done / RUN_STEPS.length) * 60 + Math.min(1, partial) * 40);
  const means = run.means as { dropout?: number; completion?: number; certificate?: number } | undefined;
  const whatIf = run.whatIf as { certificatePerVideoHour?: number; certificatePerProblem?: number } | undefined;
  const pct = (x?: number) => (x === undefined || x === null ? '' : `${(x * 100).toFixed(1)}%`);
  return {
    id: run._id,
    courseId: run.courseId,
    courseTitle,
    runDate: run.runDate,
    status: run.status,
    stage: run.stage,
    trigger: run.trigger,
    learners: run.learners ?? 0,
    learnersScored: run.learnersScored ?? 0,
    steps: RUN_STEPS.map((name) => {
      const step = run.steps?.[name];
      const seconds = step?.startedAt && step?.finishedAt ? ((new Date(step.finishedAt).getTime() - new Date(step.startedAt).getTime()) / 1000).toFixed(1) : '';
      return { name, status: step?.status ?? 'pending', note: step?.note ?? '', seconds };
    }),
    progress: partitions ? `${parts.features}/${partitions} partitions featurized, ${parts.score}/${partitions} scored` : '',
    percent,
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    error: run.error ?? '',
    modelVersions: Object.entries((run.modelVersions ?? {}) as Record<string, string>).filter(([, v]) => v).map(([outcome, version]) => ({ outcome, version })),
    means: means?.dropout !== undefined ? `dropout ${pct(means.dropout)}, completion ${pct(means.completion)}, certificate ${pct(means.certificate)}` : '',
    whatIf: whatIf?.certificatePerVideoHour !== undefined ? `+1 h video: ${pct(whatIf.certificatePerVideoHour)}; +1 problem: ${pct(whatIf.certificatePerProblem)} (model estimates, not causal effects)` : '',
  };
}
