import crypto from 'node:crypto';
import { z } from 'zod';
import { NUDGE_STRATEGIES } from '../nudges/strategies';
import { HOLDOUT_ARM } from './assignment';

/** The default design: the three XuetangX interventions against a control, equal weights, 10% holdout. */
export const DEFAULT_ARMS = [
  { key: 'certificate', label: 'Certificate-driven', strategy: 'certificate', weight: 1 },
  { key: 'certificate-video', label: 'Certificate-driven in video', strategy: 'certificate-video', weight: 1 },
  { key: 'effort', label: 'Effort-driven', strategy: 'effort', weight: 1 },
  { key: 'control', label: 'Control', strategy: 'control', weight: 1 },
] as const;
export const DEFAULT_HOLDOUT = 0.1;

const armSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be lower-case letters, digits or dashes, starting with a letter').refine((k) => k !== HOLDOUT_ARM, `"${HOLDOUT_ARM}" is reserved`),
  label: z.string().trim().min(1).max(60),
  strategy: z.enum(NUDGE_STRATEGIES),
  weight: z.number().positive().max(1000),
  neutralMessage: z.string().trim().max(280).optional(),
});

/** What an instructor submits to create an experiment (validated at the boundary). */
export const experimentInputSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    arms: z.array(armSchema).min(2).max(8).default(DEFAULT_ARMS.map((a) => ({ ...a }))),
    holdout: z.number().min(0).max(0.5).default(DEFAULT_HOLDOUT),
    stratifyByDropout: z.boolean().default(false),
    /** Balance arms within the behaviour clusters of the course's latest clustering (combinable with dropout risk). */
    stratifyByCluster: z.boolean().default(false),
  })
  .superRefine((value, ctx) => {
    const keys = new Set<string>();
    value.arms.forEach((arm, i) => {
      if (keys.has(arm.key)) ctx.addIssue({ code: 'custom', path: ['arms', i, 'key'], message: `duplicate arm key "${arm.key}"` });
      keys.add(arm.key);
      if (arm.neutralMessage && arm.strategy !== 'control') ctx.addIssue({ code: 'custom', path: ['arms', i, 'neutralMessage'], message: 'only control arms have a neutral message' });
    });
    if (value.arms.filter((a) => a.strategy === 'control').length !== 1) ctx.addIssue({ code: 'custom', path: ['arms'], message: 'needs exactly one control arm to compare against' });
  });
export type ExperimentInput = z.input<typeof experimentInputSchema>;
export type ResolvedExperimentInput = z.output<typeof experimentInputSchema>;

/** A fresh random salt: what makes one experiment's assignment independent of another's. */
export function newSalt(): string {
  return crypto.randomBytes(12).toString('base64url');
}
