import { Course } from '../../storage/models/Course';
import { NightlyRun, RUN_STEPS, type NightlyRunDoc } from '../../storage/models/NightlyRun';
import type { DemoSectionProvider } from '../../web/demoSections';

/** Demo page block: the latest nightly runs (per course and run date) with their steps and scored learners. */
export const runsDemoSection: DemoSectionProvider = async () => {
  const runs = await NightlyRun.find({}, { population: 0 }).sort({ startedAt: -1 }).limit(8).lean<NightlyRunDoc[]>().catch(() => [] as NightlyRunDoc[]);
  const courses = await Course.find({ _id: { $in: [...new Set(runs.map((r) => r.courseId))] } }, { title: 1, externalId: 1 }).lean().catch(() => []);
  const titles = new Map(courses.map((c) => [String(c._id), c.title || c.externalId]));
  return {
    title: 'Nightly predictions',
    description:
      'Each course is scored every night (02:00 in its time zone by a BullMQ job scheduler): pull → aggregate → features → score → emit. Every learner gets dropout, completion and certificate probabilities, the top factors in plain words, and a model estimate of what one more hour of video or one more problem would change.',
    links: [
      { label: 'Runs (admin): /admin/runs', href: '/admin/runs' },
      { label: 'Job queues (admin): /admin/queues', href: '/admin/queues' },
    ],
    table: [
      ['Course', 'Run date', 'Status', 'Steps', 'Learners scored', 'Mean dropout'],
      ...runs.map((r) => [
        titles.get(r.courseId) ?? r.courseId,
        r.runDate,
        r.status,
        RUN_STEPS.map((s) => `${s} ${r.steps?.[s]?.status ?? 'pending'}`).join(', '),
        `${r.learnersScored ?? 0} / ${r.learners ?? 0}`,
        r.means?.dropout !== undefined && r.means?.dropout !== null ? `${(r.means.dropout * 100).toFixed(1)}%` : '',
      ]),
    ],
  };
};
