import type { CourseStructure } from './CourseStructure';
import type { SimEvent } from './simEvents';
import { RecordRenderer, RenderedRecord, WriterLearner, isoMicros, nameBasedUuid } from './writerTypes';

/** xAPI IRIs event-routing-backends uses (its processors/xapi/constants.py). */
export const XAPI = {
  verbs: {
    registered: 'http://adlnet.gov/expapi/verbs/registered',
    initialized: 'http://adlnet.gov/expapi/verbs/initialized',
    played: 'https://w3id.org/xapi/video/verbs/played',
    paused: 'https://w3id.org/xapi/video/verbs/paused',
    seeked: 'https://w3id.org/xapi/video/verbs/seeked',
    terminated: 'http://adlnet.gov/expapi/verbs/terminated',
    completed: 'http://adlnet.gov/expapi/verbs/completed',
    attempted: 'http://adlnet.gov/expapi/verbs/attempted',
    evaluated: 'https://w3id.org/xapi/acrossx/verbs/evaluated',
    experienced: 'http://adlnet.gov/expapi/verbs/experienced',
    navigated: 'https://w3id.org/xapi/dod-isd/verbs/navigated',
    viewed: 'http://id.tincanapi.com/verb/viewed',
    posted: 'https://w3id.org/xapi/acrossx/verbs/posted',
    voted: 'https://w3id.org/xapi/openedx/verb/voted',
  },
  activities: {
    course: 'http://adlnet.gov/expapi/activities/course',
    video: 'https://w3id.org/xapi/video/activity-type/video',
    interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
    question: 'http://adlnet.gov/expapi/activities/question',
    solution: 'http://id.tincanapi.com/activitytype/solution',
    resource: 'http://id.tincanapi.com/activitytype/resource',
    link: 'http://adlnet.gov/expapi/activities/link',
    discussion: 'http://id.tincanapi.com/activitytype/discussion',
  },
  extensions: {
    transformerVersion: 'https://w3id.org/xapi/openedx/extension/transformer-version',
    sessionId: 'https://w3id.org/xapi/openedx/extensions/session-id',
    eventVersion: 'https://github.com/openedx/event-routing-backends/blob/master/docs/xapi-extensions/eventVersion.rst',
    videoLength: 'https://w3id.org/xapi/video/extensions/length',
    videoTime: 'https://w3id.org/xapi/video/extensions/time',
    videoTimeFrom: 'https://w3id.org/xapi/video/extensions/time-from',
    videoTimeTo: 'https://w3id.org/xapi/video/extensions/time-to',
    attemptId: 'http://id.tincanapi.com/extension/attempt-id',
    startingPosition: 'http://id.tincanapi.com/extension/starting-position',
    endingPoint: 'http://id.tincanapi.com/extension/ending-point',
    totalItems: 'https://w3id.org/xapi/acrossx/extensions/total-items',
    discussionType: 'https://w3id.org/xapi/acrossx/extensions/type',
  },
} as const;

const TRANSFORMER_VERSION = 'event-routing-backends@9.3.0';

type Verb = keyof typeof XAPI.verbs;

/**
 * Renders simulated actions as xAPI 1.0.3 statements shaped as Open edX event-routing-backends
 * emits them: the actor is an Agent whose `account` is (LMS root URL, external anonymous UUID),
 * objects are xblock URLs, the parent context activity is the course, and statement ids are
 * name-based UUIDs of (actor, timestamp, verb, object). Actions ERB does not transform (legacy
 * page views, page_close, wiki, bookmarks, legacy `seq_*` navigation, forum search) produce none.
 */
export class XapiWriter implements RecordRenderer {
  private readonly parentJson: string;
  private readonly homeJson: string;

  constructor(private readonly course: CourseStructure) {
    this.parentJson = JSON.stringify({ id: `${course.lmsUrl}/course/${course.courseId}`, objectType: 'Activity', definition: { name: { 'en-US': course.title }, type: XAPI.activities.course } });
    this.homeJson = JSON.stringify(course.lmsUrl);
  }

  render(e: SimEvent, learner: WriterLearner): RenderedRecord | undefined {
    const lms = this.course.lmsUrl;
    const xblock = (usageKey: string) => `${lms}/xblock/${usageKey}`;
    const extensions: Record<string, unknown> = { [XAPI.extensions.transformerVersion]: TRANSFORMER_VERSION, [XAPI.extensions.sessionId]: e.session };
    let verb: Verb;
    let object: Record<string, unknown>;
    let result: Record<string, unknown> | undefined;

    switch (e.kind) {
      case 'enroll':
        verb = 'registered';
        object = { id: `${lms}/course/${this.course.courseId}`, objectType: 'Activity', definition: { name: { 'en-US': this.course.title }, type: XAPI.activities.course } };
        extensions[XAPI.extensions.eventVersion] = '1.0';
        break;
      case 'video': {
        verb = ({ load: 'initialized', play: 'played', pause: 'paused', seek: 'seeked', stop: 'terminated' } as const)[e.action];
        object = { id: xblock(e.video.id), objectType: 'Activity', definition: { type: XAPI.activities.video, name: { 'en-US': e.video.displayName } } };
        extensions[XAPI.extensions.eventVersion] = '1.0';
        extensions[XAPI.extensions.videoLength] = e.video.duration;
        if (e.action === 'seek') result = { extensions: { [XAPI.extensions.videoTimeFrom]: e.fromPosition, [XAPI.extensions.videoTimeTo]: e.position } };
        else if (e.action !== 'load') result = { extensions: { [XAPI.extensions.videoTime]: e.position } };
        break;
      }
      case 'problem': {
        const p = e.problem;
        extensions[XAPI.extensions.eventVersion] = '1.0';
        if (e.action === 'check') {
          verb = 'evaluated';
          object = { id: xblock(p.id), objectType: 'Activity', definition: { extensions: { [XAPI.extensions.attemptId]: e.attempts }, description: { 'en-US': p.displayName }, interactionType: 'choice', type: XAPI.activities.interaction } };
          const raw = e.correct ? p.maxGrade : 0;
          result = { response: e.correct ? 'choice_1' : `choice_${2 + (e.attempts % 3)}`, score: { max: p.maxGrade, min: 0, raw, scaled: raw / p.maxGrade }, success: e.correct };
        } else if (e.action === 'check_browser') {
          verb = 'attempted';
          object = { id: xblock(p.id), objectType: 'Activity', definition: { type: XAPI.activities.question } };
        } else {
          verb = 'experienced';
          object = { id: xblock(p.id), objectType: 'Activity', definition: { type: XAPI.activities.solution } };
        }
        break;
      }
      case 'nav': {
        if (e.legacy) return undefined;
        verb = 'navigated';
        extensions[XAPI.extensions.eventVersion] = '1.0';
        if (e.action === 'outline') {
          object = { id: `${lms}/courses/${this.course.courseId}/courseware/${e.place.chapter.hex}/${e.place.sequential.hex}/`, objectType: 'Activity', definition: { type: XAPI.activities.link, name: { 'en-US': e.place.sequential.displayName } } };
        } else {
          object = { id: xblock(e.place.sequential.id), objectType: 'Activity', definition: { type: XAPI.activities.resource, extensions: { [XAPI.extensions.totalItems]: e.place.sequential.verticals.length } } };
          extensions[XAPI.extensions.startingPosition] = e.fromTab;
          extensions[XAPI.extensions.endingPoint] = e.action === 'next' ? 'next unit' : e.action === 'previous' ? 'previous unit' : e.toTab;
        }
        break;
      }
      case 'forum': {
        if (e.action === 'searched') return undefined;
        const threadUrl = `${lms}/api/discussion/v1/threads/${e.threadId}`;
        const isComment = e.action === 'response_created' || e.action === 'comment_created';
        verb = e.action === 'thread_viewed' ? 'viewed' : e.action === 'thread_voted' ? 'voted' : 'posted';
        object = { id: isComment ? `${lms}/api/discussion/v1/comments/${e.postId}` : threadUrl, objectType: 'Activity', definition: { type: XAPI.activities.discussion } };
        extensions[XAPI.extensions.discussionType] = 'discussion';
        break;
      }
      default:
        return undefined;
    }

    const timestamp = isoMicros(e.t);
    const J = JSON.stringify;
    const id = nameBasedUuid(`${learner.entry.anonymousId}|${timestamp}|${XAPI.verbs[verb]}|${object.id as string}`);
    const line =
      `{"id":"${id}","actor":{"objectType":"Agent","account":{"homePage":${this.homeJson},"name":"${learner.entry.anonymousId}"}}` +
      `,"context":{"contextActivities":{"parent":[${this.parentJson}]},"extensions":${J(extensions)}},"object":${J(object)}` +
      `${result ? `,"result":${J(result)}` : ''},"timestamp":"${timestamp}","verb":{"display":{"en":"${verb}"},"id":"${XAPI.verbs[verb]}"},"version":"1.0.3"}`;
    return { line };
  }
}
