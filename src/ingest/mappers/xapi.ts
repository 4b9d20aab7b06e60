import { z } from 'zod';
import type { ActivityCategory, ActivityDetails, ActivityEvent } from '../../domain/activity';
import { courseKeyIn, durationSeconds, MapResult, num, parseEventTime, rejected } from './common';

const iri = z.string().regex(/^[a-z][a-z0-9+.-]*:\S+$/i, 'must be an IRI');
const activity = z.object({ id: iri, objectType: z.string().optional(), definition: z.record(z.string(), z.unknown()).optional() }).passthrough();

/** The parts of an xAPI 1.0.3 statement Keepup checks and reads (everything else passes through). */
export const xapiStatementSchema = z
  .object({
    id: z.string().uuid('id must be a UUID').optional(),
    actor: z
      .object({
        objectType: z.enum(['Agent', 'Group']).optional(),
        account: z.object({ homePage: z.string(), name: z.string().min(1) }).optional(),
        openid: z.string().optional(),
        mbox: z.string().optional(),
        mbox_sha1sum: z.string().optional(),
      })
      .passthrough()
      .refine((a) => [a.account, a.openid, a.mbox, a.mbox_sha1sum].filter(Boolean).length === 1, 'actor must have exactly one identifier (account, openid, mbox or mbox_sha1sum)'),
    verb: z.object({ id: iri, display: z.record(z.string(), z.string()).optional() }).passthrough(),
    object: z.object({ id: z.string().min(1), objectType: z.string().optional(), definition: z.record(z.string(), z.unknown()).optional() }).passthrough(),
    result: z
      .object({
        success: z.boolean().optional(),
        score: z.object({ scaled: z.number().min(-1).max(1).optional(), raw: z.number().optional(), min: z.number().optional(), max: z.number().optional() }).passthrough().optional(),
        extensions: z.record(z.string(), z.unknown()).optional(),
      })
      .passthrough()
      .optional(),
    context: z
      .object({
        contextActivities: z.record(z.string(), z.union([activity, z.array(activity)])).optional(),
        extensions: z.record(z.string(), z.unknown()).optional(),
        registration: z.string().optional(),
      })
      .passthrough()
      .optional(),
    timestamp: z.string().optional(),
    version: z.string().regex(/^1\.0(\.\d+)?$/, 'version must be 1.0.x').optional(),
  })
  .passthrough();
export type XapiStatement = z.infer<typeof xapiStatementSchema>;

const VIDEO_VERB = 'https://w3id.org/xapi/video/verbs/';
const VIDEO_TYPE = 'https://w3id.org/xapi/video/activity-type/video';
const DISCUSSION_TYPE = 'http://id.tincanapi.com/activitytype/discussion';
const TIME_EXT = 'https://w3id.org/xapi/video/extensions/time';
const TIME_TO_EXT = 'https://w3id.org/xapi/video/extensions/time-to';
const TIME_FROM_EXT = 'https://w3id.org/xapi/video/extensions/time-from';
const SESSION_EXT = 'https://w3id.org/xapi/openedx/extensions/session-id';
const LENGTH_EXT = 'https://w3id.org/xapi/video/extensions/length';
const PROBLEM_TYPES = new Set(['http://adlnet.gov/expapi/activities/cmi.interaction', 'http://adlnet.gov/expapi/activities/question']);
const COURSE_TYPE = 'http://adlnet.gov/expapi/activities/course';

const VIDEO_ACTIONS: Record<string, string> = {
  played: 'play', paused: 'pause', seeked: 'seek', completed: 'complete', initialized: 'load', terminated: 'stop', interacted: 'interacted',
};

function lastSegment(id: string): string {
  return id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf('#')) + 1);
}

/** Category and details of a statement, from its verb and object type (event-routing-backends vocabulary). */
export function classifyStatement(s: XapiStatement): { category: ActivityCategory; details?: ActivityDetails } {
  const verb = s.verb.id;
  const verbName = lastSegment(verb);
  const type = typeof s.object.definition?.type === 'string' ? s.object.definition.type : '';
  const ext = s.result?.extensions ?? {};
  if (type === VIDEO_TYPE || verb.startsWith(VIDEO_VERB)) {
    const position = durationSeconds(ext[TIME_EXT] ?? ext[TIME_TO_EXT]);
    return {
      category: 'video',
      details: { kind: 'video', action: VIDEO_ACTIONS[verbName] ?? verbName, position, fromPosition: durationSeconds(ext[TIME_FROM_EXT]), duration: durationSeconds(s.context?.extensions?.[LENGTH_EXT]) },
    };
  }
  if (type === DISCUSSION_TYPE) return { category: 'forum', details: { kind: 'forum', action: verbName } };
  if (PROBLEM_TYPES.has(type) || verbName === 'evaluated' || verbName === 'answered' || verbName === 'asked') {
    const scaled = num(s.result?.score?.scaled);
    return {
      category: 'problem',
      details: { kind: 'problem', action: verbName === 'evaluated' ? 'attempt' : verbName, success: s.result?.success, score: scaled },
    };
  }
  if (verbName === 'navigated') return { category: 'navigate' };
  if (verbName === 'registered' || verbName === 'unregistered') return { category: 'enrollment' };
  if (verbName === 'earned') return { category: 'certificate' };
  if ((verbName === 'passed' || verbName === 'failed') && type === COURSE_TYPE) return { category: 'grade' };
  if (verbName === 'launched' || verbName === 'experienced' || verbName === 'viewed') return { category: 'access' };
  return { category: 'other', details: { kind: 'other', action: verb } };
}

/** The learner id of an actor: an event-routing-backends anonymous id (account name or openid). */
export function xapiLearner(actor: XapiStatement['actor']): { key: string; type: ActivityEvent['learnerKeyType'] } | undefined {
  if (actor.account?.name) return { key: actor.account.name, type: 'anonymous_id' };
  if (actor.openid) return { key: lastSegment(actor.openid.replace(/\/+$/, '')), type: 'anonymous_id' };
  return undefined;
}

/** The course key of a statement: its parent/grouping context activities, else its object id. */
export function xapiCourse(s: XapiStatement): string | undefined {
  const activities = s.context?.contextActivities ?? {};
  for (const kind of ['parent', 'grouping', 'other']) {
    const list = activities[kind];
    for (const a of Array.isArray(list) ? list : list ? [list] : []) {
      const key = courseKeyIn(a.id);
      if (key) return key;
    }
  }
  return courseKeyIn(s.object.id);
}

/** A readable reason from a zod error. */
export function zodReason(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'statement'}: ${i.message}`).join('; ');
}

/**
 * Validates and maps one xAPI statement. `defaultTime` stands in for a missing timestamp (the LRS
 * stores the statement's `stored` time then, as the spec says).
 */
export function mapXapi(raw: unknown, options: { defaultTime?: Date; now?: number } = {}): MapResult<ActivityEvent> & { statement?: XapiStatement } {
  const parsed = xapiStatementSchema.safeParse(raw);
  if (!parsed.success) return rejected('invalid_statement', zodReason(parsed.error));
  const s = parsed.data;
  const learner = xapiLearner(s.actor);
  if (!learner) return { ...rejected('unsupported_actor', 'actor must be identified by an account or openid (mbox identities are not accepted)') };
  const time = s.timestamp === undefined ? options.defaultTime : parseEventTime(s.timestamp, options.now);
  if (!time) return rejected('bad_time', `timestamp ${JSON.stringify(s.timestamp)} is not a valid time`);
  const { category, details } = classifyStatement(s);
  return {
    ok: true,
    statement: s,
    event: {
      platform: 'openedx',
      source: 'xapi',
      courseId: xapiCourse(s) ?? '',
      learnerKey: learner.key,
      learnerKeyType: learner.type,
      time,
      category,
      name: s.verb.id,
      objectId: s.object.id,
      sessionId: typeof s.context?.extensions?.[SESSION_EXT] === 'string' ? (s.context.extensions[SESSION_EXT] as string) : undefined,
      details,
      eventId: s.id,
    },
  };
}
