import type { AppDeps } from './app';
import { demoInboxSection } from '../messaging/demo/demoInboxSection';
import { adminDemoSection } from './routes/admin/demoSection';
import { ltiDemoSection } from './routes/lti/demoSection';
import { insightsDemoSection } from '../insights/demo/insightsDemoSection';
import { importsDemoSection } from '../ingest/demo/importsDemoSection';
import { experimentsDemoSection } from '../experiments/demo/experimentsDemoSection';
import { runsDemoSection } from '../scoring/demo/runsDemoSection';

/** One block of the demo page: a heading, a sentence, links and optional rows of figures. */
export interface DemoSection {
  title: string;
  description: string;
  links?: Array<{ label: string; href: string }>;
  /** Small table: first row is the header. */
  table?: string[][];
}

export type DemoSectionProvider = (ctx: { deps: AppDeps; baseUrl: string }) => Promise<DemoSection | null>;

const serviceStatus: DemoSectionProvider = async ({ deps }) => {
  const [mongo, redis] = await Promise.all([deps.checks.mongo(), deps.checks.redis()]);
  return {
    title: 'Services',
    description: 'The web server and a job worker run against MongoDB (FerretDB here) and Redis.',
    links: [
      { label: 'Health: /healthz', href: '/healthz' },
      { label: 'Readiness: /readyz', href: '/readyz' },
    ],
    table: [
      ['Service', 'Reachable'],
      ['MongoDB', mongo ? 'yes' : 'no'],
      ['Redis', redis ? 'yes' : 'no'],
    ],
  };
};

/**
 * Every section of the demo page, in order. A capability adds its provider here so the demo
 * stays the front door to everything Keepup does.
 */
export const demoSections: DemoSectionProvider[] = [serviceStatus, adminDemoSection, demoInboxSection, ltiDemoSection, insightsDemoSection, importsDemoSection, runsDemoSection, experimentsDemoSection];
