import { Course } from '../../storage/models/Course';
import { CourseInsight } from '../../storage/models/CourseInsight';
import type { DemoSectionProvider } from '../../web/demoSections';
import { WEEKDAYS } from '../overview/localClock';

/**
 * Demo page section: every course with computed insights, with a link that opens its insights page
 * as an instructor (demo mode only) and the three headline answers: busiest hour, the cluster most
 * likely to drop out, and the design change associated with the largest gain.
 */
export const insightsDemoSection: DemoSectionProvider = async () => {
  const insights = await CourseInsight.find().sort({ computedAt: -1 }).limit(12).lean();
  if (!insights.length) return null;
  const courses = new Map((await Course.find({ _id: { $in: insights.map((i) => i._id) } }).select({ title: 1, externalId: 1 }).lean()).map((c) => [String(c._id), c]));
  const rows = insights.map((doc) => {
    const d = doc as unknown as { _id: string; overview: { busiest: { weekday: number; hour: number }; timeZone: string }; clusters: { clusters: Array<{ label: string; dropoutRate: number }> }; design: { status: string; gains?: Array<{ label: string; from: number; to: number; changePp: number }> } };
    const worst = [...(d.clusters.clusters ?? [])].sort((a, b) => b.dropoutRate - a.dropoutRate)[0];
    const gain = d.design.gains?.[0];
    return [
      courses.get(d._id)?.title ?? d._id,
      `${WEEKDAYS[d.overview.busiest.weekday]} ${d.overview.busiest.hour}:00 (${d.overview.timeZone})`,
      worst ? `${worst.label} (${Math.round(worst.dropoutRate * 100)}%)` : '—',
      gain ? `${gain.label}: ${gain.from} → ${gain.to} (+${gain.changePp} pts)` : d.design.status === 'ok' ? 'none' : d.design.status.replace(/_/g, ' '),
    ];
  });
  return {
    title: 'Course insights',
    description: 'Engagement overview, behaviour clusters (k-means++, k by silhouette) and course design against completion across the installed courses. The design figures are associations across courses, not promises.',
    links: insights.map((doc) => ({ label: `Insights: ${courses.get(String(doc._id))?.title ?? doc._id}`, href: `/demo/insights/${doc._id}` })),
    table: [['Course', 'Busiest hour', 'Most likely to drop out', 'Largest associated gain'], ...rows],
  };
};
