import type { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import { certificateText, type NudgeStrategy } from '../../nudges/strategies';
import { Assignment } from '../../storage/models/Assignment';
import { Learner } from '../../storage/models/Learner';
import { Score } from '../../storage/models/Score';
import { DEMO_REGISTRATIONS_KEY } from '../../web/routes/lti/demoSection';

/** How many of an arm's learners are looked at for one who would see its nudge. */
const CANDIDATES = 50;

/**
 * Demo only: for each arm of an experiment, a simulator launch link that signs in as one learner
 * assigned to that arm (the simulator keys generated learners by username), so a visitor can see
 * every nudge variant: for certificate arms a learner whose estimate is trustworthy enough to show
 * the message, and for the in-video arm the simulator's resource link placed beside the video.
 * Empty when the simulator has not registered yet.
 */
export async function armLaunchLinks(
  redis: Redis | undefined,
  experiment: { _id: Types.ObjectId; courseId: Types.ObjectId; arms: Array<{ key: string; label: string; strategy: NudgeStrategy }> },
): Promise<Array<{ label: string; href: string }>> {
  const raw = redis ? await redis.get(DEMO_REGISTRATIONS_KEY) : null;
  const openedx = raw ? (JSON.parse(raw) as { registrations?: Array<{ flavour: string; launchLinks: { learner: string } }> }).registrations?.find((r) => r.flavour === 'openedx') : undefined;
  if (!openedx) return [];
  const links: Array<{ label: string; href: string }> = [];
  for (const arm of experiment.arms) {
    const assigned = await Assignment.find({ experimentId: experiment._id, arm: arm.key }).select({ learnerId: 1 }).limit(CANDIDATES).lean();
    const learners = await Learner.find({ _id: { $in: assigned.map((a) => a.learnerId) }, 'ids.username': { $exists: true }, 'optOut.nudges': { $ne: true } }).select({ ids: 1 }).lean();
    const shown = arm.strategy === 'certificate' || arm.strategy === 'certificate-video' ? await withCertificateMessage(experiment.courseId, learners.map((l) => l._id)) : null;
    const learner = learners.find((l) => !shown || shown.has(String(l._id))) ?? learners[0];
    if (!learner?.ids?.username) continue;
    let href = openedx.launchLinks.learner.replace(/([?&]user=)[^&]*/, `$1${encodeURIComponent(learner.ids.username)}`);
    if (arm.strategy === 'certificate-video') href += '&link=openedx-video-link';
    links.push({ label: `Launch as a learner in "${arm.label}"`, href });
  }
  return links;
}

/** Of these learners, those whose latest scores carry a certificate estimate the widget would show. */
async function withCertificateMessage(courseId: Types.ObjectId, learnerIds: Types.ObjectId[]): Promise<Set<string>> {
  const scores = await Score.find({ courseId, learnerId: { $in: learnerIds } }).select({ learnerId: 1, runDate: 1, whatIf: 1 }).lean();
  const latest = new Map<string, (typeof scores)[number]>();
  for (const s of scores) {
    const id = String(s.learnerId);
    if (!latest.has(id) || latest.get(id)!.runDate < s.runDate) latest.set(id, s);
  }
  return new Set([...latest].filter(([, s]) => certificateText({ firstName: null, whatIf: s.whatIf }).text !== null).map(([id]) => id));
}
