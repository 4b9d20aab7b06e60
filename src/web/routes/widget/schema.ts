import { z } from 'zod';
import { PLACEMENTS } from '../../../nudges/strategies';

export const nudgeQuerySchema = z.object({ placement: z.enum(PLACEMENTS).default('widget') });
export const exposureBodySchema = z.object({ placement: z.enum(PLACEMENTS) });
export const optOutBodySchema = z.object({ optOut: z.boolean() });
