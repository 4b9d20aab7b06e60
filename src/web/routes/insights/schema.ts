import { z } from 'zod';
import { CSV_CHARTS } from '../../../insights/insightsCsv';
import { DESIGN_FEATURES } from '../../../insights/design/designFeatures';

export const courseParams = z.object({ courseId: z.string().regex(/^[a-f\d]{24}$/i, 'must be a course id') });
export const csvParams = courseParams.extend({ chart: z.enum(CSV_CHARTS) });
export const clusterParams = courseParams.extend({ clusterId: z.coerce.number().int().min(0).max(20) });

/** Body of the what-if endpoint: new values for any design features (the others stay as they are). */
export const whatIfBody = z.object({
  changes: z.partialRecord(z.enum(DESIGN_FEATURES), z.number().finite()).refine((c) => Object.keys(c).length > 0, 'give at least one feature to change'),
});

/** The page hand-off form: the session token the dashboard's "Course insights" link posts as `token` (never in a URL). */
export const pageForm = z.object({ token: z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'must be a session token') });
