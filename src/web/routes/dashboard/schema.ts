import { z } from 'zod';
import { audienceSchema } from '../../../messaging/audience';
import { validateTemplate } from '../../../messaging/templates';
import { ValidationError } from '../../../errors';

export const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be an id');

const template = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max)
    .superRefine((value, ctx) => {
      try {
        validateTemplate(value, label);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    });

/** A campaign as composed in the dashboard. */
export const campaignInputSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200),
    channel: z.enum(['email', 'canvas']).default('email'),
    subject: template('subject', 255),
    body: template('body', 20_000),
    nameFallback: z.string().trim().max(60).default('there'),
    audience: audienceSchema,
    excludedLearnerIds: z.array(objectId).max(50_000).default([]),
    auto: z.boolean().default(false),
    sender: z
      .object({ name: z.string().trim().max(120).default(''), email: z.union([z.literal(''), z.string().trim().email()]).default(''), as: z.enum(['reply-to', 'from']).default('reply-to') })
      .default({ name: '', email: '', as: 'reply-to' }),
    quietHours: z.object({ start: z.number().int().min(0).max(23), end: z.number().int().min(0).max(23) }).default({ start: 21, end: 8 }),
  })
  .strict();
export type CampaignInput = z.infer<typeof campaignInputSchema>;

export const campaignPatchSchema = campaignInputSchema.partial().strict();

export const previewSchema = z.object({
  learnerId: objectId,
  subject: z.string().max(255).optional(),
  body: z.string().max(20_000).optional(),
  nameFallback: z.string().max(60).optional(),
});

export const excludeSchema = z.object({ learnerIds: z.array(objectId).min(1).max(5000), excluded: z.boolean() });
export const learnersSchema = z.object({ ids: z.array(objectId).min(1).max(200), names: z.boolean().default(false) });
export const canvasTokenSchema = z.object({
  apiBase: z.string().url(),
  canvasCourseId: z.string().regex(/^\d+$/, 'must be the numeric Canvas course id'),
  token: z.string().min(10).max(4096),
});

/** Throws the ValidationError of a failed parse in the shape the error handler answers with. */
export function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationError(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return result.data;
}
