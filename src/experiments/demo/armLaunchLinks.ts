import type { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import { Assignment } from '../../storage/models/Assignment';
import { Learner } from '../../storage/models/Learner';
import { DEMO_REGISTRATIONS_KEY } from '../../web/routes/lti/demoSection';

/**
 * Demo only: for each arm of an experiment, a simulator launch link that signs in as one learner
 * assigned to that arm (the simulator keys generated learners by username), so a visitor can see
 * every nudge variant. Empty when the simulator has not registered yet.
 */
export async function armLaunchLinks(redis: Redis | undefined, experiment: { _id: Types.ObjectId; arms: Array<{ key: string; label: string }> }): Promise<Array<{ label: string; href: string }>> {
  const raw = redis ? await redis.get(DEMO_REGISTRATIONS_KEY) : null;
  const openedx = raw ? (JSON.parse(raw) as { registrations?: Array<{ flavour: string; launchLinks: { learner: string } }> }).registrations?.find((r) => r.flavour === 'openedx') : undefined;
  if (!openedx) return [];
  const links: Array<{ label: string; href: string }> = [];
  for (const arm of experiment.arms) {
    const assigned = await Assignment.find({ experimentId: experiment._id, arm: arm.key }).select({ learnerId: 1 }).limit(20).lean();
    const learner = await Learner.findOne({ _id: { $in: assigned.map((a) => a.learnerId) }, 'ids.username': { $exists: true }, 'optOut.nudges': { $ne: true } }).select({ ids: 1 }).lean();
    if (!learner?.ids?.username) continue;
    const href = openedx.launchLinks.learner.replace(/([?&]user=)[^&]*/, `$1${encodeURIComponent(learner.ids.username)}`);
    links.push({ label: `Launch as a learner in "${arm.label}"`, href });
  }
  return links;
}
