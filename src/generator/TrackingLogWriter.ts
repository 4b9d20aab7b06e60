import type { CourseStructure } from './CourseStructure';
import type { RecordContribution } from './DailyTruth';
import { trackingEventCategory } from './eventCatalog';
import type { SimEvent } from './simEvents';
import { RecordRenderer, RenderedRecord, WriterLearner, isoMicros } from './writerTypes';

const EMPTY_REQUEST = '{"POST": {}, "GET": {}}';
const MOBILE_AGENT = 'edX/org.edx.mobile (4.6.1; OS Version 14 (Build UP1A); Model Pixel 7)';

/**
 * Renders simulated actions as Open edX tracking-log JSON lines (one line per action): browser
 * events carry `event` as a JSON string, server events as an object, mobile video events use the
 * `edx.video.*` names, page views are legacy URL-path event types, and an anonymous visit has a
 * blank username. Field shapes follow the Open edX "Events in the Tracking Logs" reference.
 */
export class TrackingLogWriter implements RecordRenderer {
  private readonly host: string;
  private readonly base: string;
  private readonly homeUrl: string;
  private readonly courseIdJson: string;
  private readonly orgJson: string;

  constructor(private readonly course: CourseStructure) {
    this.base = course.lmsUrl;
    this.host = new URL(course.lmsUrl).host;
    this.homeUrl = `${course.lmsUrl}/courses/${course.courseId}/course/`;
    this.courseIdJson = JSON.stringify(course.courseId);
    this.orgJson = JSON.stringify(course.org);
  }

  render(e: SimEvent, learner: WriterLearner): RenderedRecord | undefined {
    const { course } = this;
    const id = course.courseId;
    const anonymous = e.kind === 'anonymous_view';
    let eventType: string;
    let source: 'browser' | 'server' | 'mobile' = 'server';
    let event: unknown = EMPTY_REQUEST;
    let page: string | null = null;
    let path = '/event';
    let named = true;
    const extraContext: Record<string, unknown> = {};
    const contribution: Partial<RecordContribution> = {};

    switch (e.kind) {
      case 'enroll':
        eventType = 'edx.course.enrollment.activated';
        event = { course_id: id, user_id: learner.entry.userId, mode: e.mode };
        path = `/api/enrollment/v1/enrollment`;
        break;
      case 'anonymous_view':
        eventType = `/courses/${id}/about`;
        path = eventType;
        named = false;
        break;
      case 'page_view':
        eventType =
          e.page === 'courseware' && e.place
            ? `/courses/${id}/courseware/${e.place.chapter.hex}/${e.place.sequential.hex}/`
            : e.page === 'progress'
              ? `/courses/${id}/progress`
              : `/courses/${id}/course/`;
        path = eventType;
        named = false;
        break;
      case 'nav': {
        source = 'browser';
        page = `${this.base}/courses/${id}/courseware/${e.place.chapter.hex}/${e.place.sequential.hex}/`;
        const tabCount = e.place.sequential.verticals.length;
        if (e.action === 'outline') {
          eventType = 'edx.ui.lms.outline.selected';
          event = JSON.stringify({ current_url: `${this.base}/courses/${id}/course/`, target_name: e.place.sequential.displayName, target_url: page, widget_placement: 'accordion' });
        } else if (e.legacy) {
          eventType = e.action === 'next' ? 'seq_next' : e.action === 'previous' ? 'seq_prev' : 'seq_goto';
          event = JSON.stringify({ old: e.fromTab, new: e.toTab, id: e.place.sequential.id });
        } else {
          eventType = e.action === 'next' ? 'edx.ui.lms.sequence.next_selected' : e.action === 'previous' ? 'edx.ui.lms.sequence.previous_selected' : 'edx.ui.lms.sequence.tab_selected';
          event = JSON.stringify({ current_tab: e.fromTab, tab_count: tabCount, target_tab: e.toTab, widget_placement: 'top', id: e.place.sequential.id });
        }
        break;
      }
      case 'video': {
        const v = e.video;
        page = `${this.base}/xblock/${e.place.vertical.id}`;
        if (e.action !== 'load' && e.action !== 'play') contribution.videoSeconds = e.watchedSeconds;
        if (e.mobile) {
          source = 'mobile';
          eventType = { load: 'edx.video.loaded', play: 'edx.video.played', pause: 'edx.video.paused', seek: 'edx.video.position.changed', stop: 'edx.video.stopped' }[e.action];
          event =
            e.action === 'seek'
              ? { old_time: e.fromPosition, new_time: e.position, type: 'onSkipSeek', code: 'mobile', id: v.hex }
              : { currentTime: e.position, code: 'mobile', id: v.hex, duration: v.duration };
          path = '/segmentio/event';
          page = null;
          extraContext.application = { name: 'edx.mobileapp.android', version: '4.6.1' };
          extraContext.component = 'videoplayer';
          extraContext.received_at = isoMicros(e.t + 1500);
        } else {
          source = 'browser';
          eventType = `${e.action}_video`;
          const data =
            e.action === 'load'
              ? { id: v.hex, code: v.code, duration: v.duration }
              : e.action === 'seek'
                ? { id: v.hex, code: v.code, old_time: e.fromPosition, new_time: e.position, type: 'onSlideSeek', duration: v.duration }
                : { id: v.hex, code: v.code, currentTime: e.position, duration: v.duration };
          event = JSON.stringify(data);
        }
        break;
      }
      case 'problem': {
        const p = e.problem;
        const input = `${p.hex}_2_1`;
        const answer = e.correct ? 'choice_1' : `choice_${2 + (e.attempts % 3)}`;
        if (e.action === 'check_browser') {
          source = 'browser';
          eventType = 'problem_check';
          event = `input_${input}=${answer}`;
          page = `${this.base}/xblock/${e.place.vertical.id}`;
        } else if (e.action === 'check') {
          eventType = 'problem_check';
          page = 'x_module';
          path = `/courses/${id}/xblock/${p.id}/handler/xmodule_handler/problem_check`;
          const correctness = e.correct ? 'correct' : 'incorrect';
          event = {
            state: { seed: 1, student_answers: {}, has_saved_answers: false, correct_map: {}, input_state: { [input]: {} }, done: null },
            problem_id: p.id,
            answers: { [input]: answer },
            grade: e.correct ? p.maxGrade : 0,
            max_grade: p.maxGrade,
            correct_map: { [input]: { correctness, npoints: null, msg: '', hint: '', hintmode: null, queuestate: null, answervariable: null } },
            success: correctness,
            attempts: e.attempts,
            submission: { [input]: { question: p.displayName, answer, response_type: 'multiplechoiceresponse', input_type: 'choicegroup', correct: e.correct, variant: '', group_label: '' } },
          };
          extraContext.module = { display_name: p.displayName, usage_key: p.id };
          extraContext.asides = {};
          contribution.attempted = true;
          contribution.correct = e.correct;
        } else {
          eventType = 'showanswer';
          page = 'x_module';
          path = `/courses/${id}/xblock/${p.id}/handler/xmodule_handler/problem_show`;
          event = { problem_id: p.id };
          extraContext.module = { display_name: p.displayName, usage_key: p.id };
        }
        break;
      }
      case 'forum': {
        const topic = e.topic;
        const common = { category_id: topic.id, category_name: topic.name, commentable_id: topic.id, user_forums_roles: ['Student'], user_course_roles: [] as string[] };
        const threadUrl = `${this.base}/courses/${id}/discussion/forum/${topic.id}/threads/${e.threadId}`;
        path = `/courses/${id}/discussion/${e.action === 'thread_viewed' ? 'forum' : 'threads'}/${e.threadId}`;
        switch (e.action) {
          case 'thread_viewed':
            eventType = 'edx.forum.thread.viewed';
            event = { id: e.threadId, title: e.title, title_truncated: false, url: threadUrl, ...common };
            break;
          case 'thread_created':
            eventType = 'edx.forum.thread.created';
            event = { thread_type: 'discussion', title: e.title, title_truncated: false, anonymous: false, anonymous_to_peers: false, options: { followed: true }, id: e.threadId, body: 'Could someone explain this part?', truncated: false, url: threadUrl, ...common };
            break;
          case 'response_created':
            eventType = 'edx.forum.response.created';
            event = { discussion: { id: e.threadId }, id: e.postId, body: 'Here is how I understood it.', truncated: false, url: threadUrl, ...common };
            break;
          case 'comment_created':
            eventType = 'edx.forum.comment.created';
            event = { discussion: { id: e.threadId }, response: { id: e.threadId }, id: e.postId, body: 'Thanks, that helped.', truncated: false, url: threadUrl, ...common };
            break;
          case 'thread_voted':
            eventType = 'edx.forum.thread.voted';
            event = { vote_value: 'up', undo_vote: false, id: e.threadId, url: threadUrl, ...common };
            break;
          default:
            eventType = 'edx.forum.searched';
            event = { query: 'deadline', page: 1, total_results: 12, corrected_text: null };
            path = `/courses/${id}/discussion/forum/search`;
        }
        break;
      }
      case 'wiki':
        eventType = `/courses/${id}/wiki/${e.slug}/`;
        path = eventType;
        named = false;
        break;
      case 'bookmark':
        eventType = 'edx.bookmark.added';
        event = { course_id: id, bookmark_id: `${learner.entry.username},${e.place.vertical.id}`, component_type: 'vertical', component_usage_id: e.place.vertical.id };
        path = '/api/bookmarks/v1/bookmarks/';
        break;
      case 'page_close':
        source = 'browser';
        eventType = 'page_close';
        event = '';
        page = e.place ? `${this.base}/xblock/${e.place.vertical.id}` : `${this.base}/courses/${id}/course/`;
        break;
    }

    const J = JSON.stringify;
    const extra = Object.keys(extraContext).length > 0 ? `,${J(extraContext).slice(1, -1)}` : '';
    const referer = page && page.startsWith('http') ? page : this.homeUrl;
    const line =
      `{"username":${anonymous ? '""' : J(learner.entry.username)},"event_type":${J(eventType)}${named ? `,"name":${J(eventType)}` : ''}` +
      `,"event_source":"${source}","time":"${isoMicros(e.t)}"` +
      `,"context":{"course_id":${this.courseIdJson},"org_id":${this.orgJson},"user_id":${anonymous ? '""' : learner.entry.userId},"path":${J(path)},"enterprise_uuid":""${extra}}` +
      `,"event":${J(event)},"session":"${anonymous ? '' : e.session}","page":${J(page)},"agent":${J(e.mobile ? MOBILE_AGENT : learner.agent)}` +
      `,"host":"${this.host}","ip":"${learner.ip}","referer":${J(referer)},"accept_language":"en-US,en;q=0.9"}`;
    if (anonymous) return { line };
    return { line, contribution: { category: trackingEventCategory(eventType), ...contribution } };
  }
}
