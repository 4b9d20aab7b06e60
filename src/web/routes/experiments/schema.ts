import { z } from 'zod';

export const objectId = z.string().regex(/^[a-f\d]{24}$/i, 'must be an id');
export const courseParamsSchema = z.object({ courseId: objectId });
export const experimentParamsSchema = z.object({ courseId: objectId, experimentId: objectId });
/** Pages are opened by a form POST carrying the session token in the body (never in a URL; no cookie needed). */
export const pageBodySchema = z.object({ token: z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'must be a session token') });
