import { z } from 'zod';
import type { DemoSectionProvider } from '../../demoSections';

/** Redis key where `keepup simulator --register` leaves the demo registrations and launch links. */
export const DEMO_REGISTRATIONS_KEY = 'keepup:lti:demo:simulator';

const storedSchema = z.object({
  simulatorUrl: z.string(),
  registrations: z.array(z.object({ flavour: z.string(), via: z.string(), clientId: z.string(), launchLinks: z.object({ instructor: z.string(), learner: z.string(), deepLink: z.string() }) })),
});

const VIA: Record<string, string> = { canvas_json: 'Canvas JSON URL', openedx_setup: 'Open edX setup page', dynamic: 'Dynamic Registration' };

/** Demo page section: real LTI launches from each simulator flavour (instructor, learner, deep linking). */
export const ltiDemoSection: DemoSectionProvider = async ({ deps }) => {
  const raw = deps.redis ? await deps.redis.get(DEMO_REGISTRATIONS_KEY) : null;
  const stored = raw ? storedSchema.safeParse(JSON.parse(raw)) : undefined;
  if (!stored?.success) return null;
  const label = (f: string) => ({ canvas: 'Canvas', openedx: 'Open edX', moodle: 'Moodle' })[f] ?? f;
  return {
    title: 'LTI launches from the LMS simulator',
    description: `The simulator at ${stored.data.simulatorUrl} plays Canvas, Open edX and Moodle; each link opens its course page, which frames Keepup on another site and performs a real LTI 1.3 launch.`,
    links: stored.data.registrations.flatMap((r) => [
      { label: `${label(r.flavour)}: Launch as instructor`, href: r.launchLinks.instructor },
      { label: `${label(r.flavour)}: Launch as learner`, href: r.launchLinks.learner },
      { label: `${label(r.flavour)}: Add a Keepup item (Deep Linking)`, href: r.launchLinks.deepLink },
    ]),
    table: [['Platform', 'Registered via', 'Client id'], ...stored.data.registrations.map((r) => [label(r.flavour), VIA[r.via] ?? r.via, r.clientId])],
  };
};
