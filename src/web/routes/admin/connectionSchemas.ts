import { z } from 'zod';

/** A form field: trimmed text, a missing field read as empty. */
const field = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), schema);
const required = (max: number) => field(z.string().min(1, 'is required').max(max, `must be at most ${max} characters`));
const optional = <T extends z.ZodType>(schema: T) => field(z.union([z.literal('').transform(() => undefined), schema]));
const httpUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL');

/** The "new inbound connection" form: an xAPI LRS, Caliper or Canvas Live Events endpoint with issued credentials. */
export const inboundConnectionSchema = z
  .object({
    kind: field(z.enum(['xapi', 'caliper', 'canvas-live'], { message: 'must be xapi, caliper or canvas-live' })),
    platform: field(z.enum(['openedx', 'canvas', 'moodle'], { message: 'must be openedx, canvas or moodle' })),
    name: required(120),
    courseId: optional(z.string().regex(/^[a-f\d]{24}$/i, 'must be a course of this list')),
    jwksUrl: optional(httpUrl),
    /** Checkbox: keep the raw events this connection receives in the raw-event archive. */
    archiveRaw: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
  })
  .refine((f) => f.kind !== 'canvas-live' || f.platform === 'canvas', { message: 'Canvas Live Events connections belong to a Canvas platform', path: ['platform'] });

const outboundBase = {
  name: required(120),
  baseUrl: field(httpUrl),
  externalCourseId: required(300),
  clientId: required(300),
  clientSecret: required(2000),
};

/** The "new pull connection" form: Canvas REST (OAuth refresh token) or Open edX REST (client credentials). */
export const outboundConnectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('canvas-rest'), ...outboundBase, refreshToken: required(2000) }),
  z.object({ kind: z.literal('openedx-rest'), ...outboundBase }),
], { message: 'kind must be canvas-rest or openedx-rest' });

/** Enable/disable. */
export const connectionStatusSchema = z.object({ status: z.enum(['active', 'disabled']) });

/** One line naming every problem of a form, e.g. `baseUrl must be an http(s) URL; refreshToken is required`. */
export function formProblems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'form'} ${i.message}`).join('; ');
}
