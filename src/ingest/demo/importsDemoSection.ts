import type { DemoSectionProvider } from '../../web/demoSections';
import { recentImportRuns } from '../importRunsView';

/** Demo page block: the latest import runs (files and pushes) with their counts. */
export const importsDemoSection: DemoSectionProvider = async () => {
  const runs = await recentImportRuns(10).catch(() => []);
  return {
    title: 'Activity imports',
    description: 'Every tracking-log import, xAPI/Caliper push and platform pull is recorded with what it accepted and why anything was rejected.',
    links: [{ label: 'Import runs (JSON, admin): /admin/imports', href: '/admin/imports' }],
    table: [
      ['Started', 'Source', 'Format', 'Status', 'Read', 'Accepted', 'Rejected (by reason)', 'Learners'],
      ...runs.map((r) => [
        r.period ?? r.startedAt.slice(0, 19).replace('T', ' '),
        r.source,
        r.format,
        r.status,
        String(r.read),
        String(r.accepted),
        `${r.rejected}${r.rejected ? ` (${Object.entries(r.rejectedByReason).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`,
        String(r.learners),
      ]),
    ],
  };
};
