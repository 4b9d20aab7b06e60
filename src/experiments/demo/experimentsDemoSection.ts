import { Course } from '../../storage/models/Course';
import { Experiment } from '../../storage/models/Experiment';
import type { DemoSectionProvider } from '../../web/demoSections';
import { pText } from '../../web/routes/experiments/resultsView';
import { analyzeExperiment } from '../analyzeExperiment';
import { armLaunchLinks } from './armLaunchLinks';

/**
 * Demo page section: the latest experiments with a link that opens each results page as the course's instructor
 * (demo mode only), and the video-time comparison of the newest one.
 */
export const experimentsDemoSection: DemoSectionProvider = async ({ deps }) => {
  const experiments = await Experiment.find({ status: { $in: ['running', 'stopped'] } }).sort({ createdAt: -1 }).limit(5).select({ name: 1, courseId: 1, arms: 1 }).lean();
  if (!experiments.length) return null;
  const courses = new Map((await Course.find({ _id: { $in: experiments.map((e) => e.courseId) } }).select({ title: 1 }).lean()).map((c) => [String(c._id), c.title]));
  const results = await analyzeExperiment(String(experiments[0]._id));
  const video = results.metrics.find((m) => m.metric === 'videoMinutes')!;
  const label = new Map(results.groups.map((g) => [g.key, g.label]));
  const rows = video.groups.map((g) => [
    label.get(g.arm) ?? g.arm,
    String(g.summary.n),
    g.summary.n ? g.summary.mean.toFixed(1) : '—',
    g.vsControl ? `${g.vsControl.difference >= 0 ? '+' : ''}${g.vsControl.difference.toFixed(1)} (${g.vsControl.ciLow.toFixed(1)} to ${g.vsControl.ciHigh.toFixed(1)})` : g.arm === results.controlArm ? 'control' : '—',
    pText(g.vsControl?.pValue),
    pText(g.adjustedPValue),
  ]);
  return {
    title: 'Nudge experiments',
    description: `Learners see a certificate-driven, certificate-in-video or effort-driven nudge, or none, assigned at random; the results page compares outcomes against control with Welch's t-test (Holm–Bonferroni adjusted over all arms and outcomes) and checks the sample ratio. Video minutes in "${results.experiment.name}"${results.srm.mismatch ? ' (sample-ratio mismatch!)' : ''}:`,
    links: [
      ...experiments.map((e) => ({ label: `Results: ${e.name} (${courses.get(String(e.courseId)) ?? 'course'})`, href: `/demo/experiments/${e._id}` })),
      ...(await armLaunchLinks(deps.redis, experiments[0])),
    ],
    table: [['Group', 'n', 'Mean video minutes', 'Difference from control (95% CI)', 'p (Welch)', `p (Holm, ${results.family.size} tests)`], ...rows],
  };
};
