import type { CourseStructure, Sequential } from './CourseStructure';
import type { RecordContribution } from './DailyTruth';
import type { SimulatedLearner } from './LearnerSimulator';
import type { SimEvent } from './simEvents';
import { WriterLearner, nameBasedUuid } from './writerTypes';

/** One Canvas live event (Canvas format) with what it contributes to truth_daily. */
export interface CanvasLiveEvent {
  time: number;
  session: string;
  line: string;
  contribution: RecordContribution;
}

/** Everything the Canvas outputs need about one learner. */
export interface CanvasLearnerRecords {
  liveEvents: CanvasLiveEvent[];
  /** Submissions API objects, one per (assignment, learner), placeholders included. */
  submissions: Array<Record<string, unknown>>;
  enrollment: Record<string, unknown>;
  summary: Record<string, unknown>;
}

const DAY_MS = 86_400_000;

/**
 * Renders a learner's simulated actions as Canvas data: Live Events in the Canvas format
 * (`{metadata, body}`: asset_accessed, submission_created, discussion_topic_created,
 * discussion_entry_created, enrollment_created), the learner's Submissions API objects (a graded
 * subsection is a quiz assignment; each session that answers its graded questions is one attempt),
 * the Enrollments API object with `last_activity_at`/`total_activity_time`/`grades`, and the course
 * analytics student summary.
 */
export class CanvasWriter {
  private readonly host: string;
  private readonly assignments: Sequential[];

  constructor(private readonly course: CourseStructure) {
    this.host = new URL(course.lmsUrl).host;
    this.assignments = course.chapters.flatMap((c) => c.sequentials.filter((s) => s.graded && s.canvasAssignmentId !== undefined));
  }

  /** The Assignments API objects of the course. */
  assignmentObjects(): Array<Record<string, unknown>> {
    const { course } = this;
    return this.assignments.map((s, position) => ({
      id: s.canvasAssignmentId,
      name: s.displayName,
      description: `<p>${s.displayName}</p>`,
      created_at: new Date(course.startAt - 30 * DAY_MS).toISOString(),
      updated_at: new Date(course.startAt - 30 * DAY_MS).toISOString(),
      due_at: s.dueAt === undefined ? null : new Date(s.dueAt).toISOString(),
      lock_at: null,
      unlock_at: new Date(course.chapters.find((c) => c.sequentials.includes(s))?.releaseAt ?? course.startAt).toISOString(),
      course_id: course.canvas.courseId,
      html_url: `${course.lmsUrl}/courses/${course.canvas.courseId}/assignments/${s.canvasAssignmentId}`,
      points_possible: pointsPossible(s),
      grading_type: 'points',
      submission_types: ['online_quiz'],
      assignment_group_id: 1,
      position: position + 1,
      published: true,
      allowed_attempts: -1,
      is_quiz_assignment: true,
      omit_from_final_grade: false,
    }));
  }

  renderLearner(events: SimEvent[], learner: WriterLearner, sim: SimulatedLearner): CanvasLearnerRecords {
    const liveEvents: CanvasLiveEvent[] = [];
    const attempts = new Map<Sequential, Array<{ at: number; score: number }>>();
    const earned = new Map<string, number>();
    let openQuiz: { sequential: Sequential; session: string; lastCheck: number } | undefined;

    const closeQuiz = () => {
      if (!openQuiz) return;
      const { sequential, lastCheck, session } = openQuiz;
      const score = sequential.verticals.reduce((sum, v) => sum + v.problems.reduce((s, p) => s + (p.graded ? (earned.get(p.id) ?? 0) : 0), 0), 0);
      const list = attempts.get(sequential) ?? [];
      list.push({ at: lastCheck, score });
      attempts.set(sequential, list);
      const late = sequential.dueAt !== undefined && lastCheck > sequential.dueAt;
      liveEvents.push(
        this.live('submission_created', lastCheck, session, learner, 'POST', {
          submission_id: String(submissionId(sequential, learner)),
          assignment_id: String(sequential.canvasAssignmentId),
          user_id: String(learner.entry.canvasUserId),
          submitted_at: new Date(lastCheck).toISOString(),
          graded_at: new Date(lastCheck).toISOString(),
          updated_at: new Date(lastCheck).toISOString(),
          score,
          grade: String(score),
          submission_type: 'online_quiz',
          attempt: list.length,
          late,
          missing: false,
          lti_user_id: learner.entry.ltiSub,
        }, { category: 'problem', attempted: true }),
      );
      openQuiz = undefined;
    };

    for (const e of events) {
      if (openQuiz && (e.session !== openQuiz.session || e.t > openQuiz.lastCheck + 60 * 60_000)) closeQuiz();
      if (e.kind === 'problem' && e.action === 'check' && e.problem.graded) {
        earned.set(e.problem.id, e.correct ? e.problem.maxGrade : 0);
        if (openQuiz && openQuiz.sequential !== e.place.sequential) closeQuiz();
        if (!openQuiz) {
          openQuiz = { sequential: e.place.sequential, session: e.session, lastCheck: e.t };
          liveEvents.push(this.accessed(e, learner, { asset_type: 'quizzes:quiz', asset_id: String(e.place.sequential.canvasAssignmentId), asset_name: e.place.sequential.displayName, category: 'quizzes' }, 'problem'));
        }
        openQuiz.lastCheck = e.t;
        continue;
      }
      const record = this.renderAction(e, learner);
      if (record) liveEvents.push(record);
    }
    closeQuiz();
    liveEvents.sort((a, b) => a.time - b.time);

    const submissions = this.assignments.map((s) => this.submissionObject(s, learner, attempts.get(s)));
    return { liveEvents, submissions, enrollment: this.enrollmentObject(learner, sim, liveEvents), summary: this.summaryObject(learner, liveEvents, attempts) };
  }

  private renderAction(e: SimEvent, learner: WriterLearner): CanvasLiveEvent | undefined {
    const { course } = this;
    switch (e.kind) {
      case 'enroll':
        return this.live('enrollment_created', e.t, e.session, learner, 'POST', {
          enrollment_id: String(enrollmentId(course, learner)),
          course_id: String(course.canvas.courseId),
          user_id: String(learner.entry.canvasUserId),
          user_name: learner.entry.name,
          type: 'StudentEnrollment',
          created_at: new Date(e.t).toISOString(),
          updated_at: new Date(e.t).toISOString(),
          limit_privileges_to_course_section: false,
          course_section_id: String(course.canvas.courseId),
          workflow_state: 'active',
        }, { category: 'enrollment' });
      case 'page_view':
        if (e.page === 'courseware' && e.place) return this.accessed(e, learner, { asset_type: 'wiki_page', asset_id: e.place.vertical.canvasPageUrl, asset_name: e.place.vertical.displayName, category: 'wiki' }, 'access');
        return this.accessed(e, learner, { asset_type: 'course', asset_id: String(course.canvas.courseId), asset_subtype: e.page === 'progress' ? 'grades' : 'home', asset_name: course.title, category: e.page === 'progress' ? 'grades' : 'home' }, 'access');
      case 'nav':
        if (e.action === 'outline') return this.accessed(e, learner, { asset_type: 'course', asset_id: String(course.canvas.courseId), asset_subtype: 'modules', asset_name: course.title, category: 'modules' }, 'navigate');
        return this.accessed(e, learner, { asset_type: 'wiki_page', asset_id: e.place.vertical.canvasPageUrl, asset_name: e.place.vertical.displayName, category: 'wiki' }, 'access');
      case 'video':
        if (e.action !== 'load') return undefined;
        return this.accessed(e, learner, { asset_type: 'attachment', asset_id: String(e.video.canvasFileId), asset_name: `${e.video.displayName}.mp4`, category: 'files', filename: `${e.video.hex}.mp4`, display_name: `${e.video.displayName}.mp4` }, 'video');
      case 'forum':
        if (e.action === 'thread_viewed') return this.accessed(e, learner, { asset_type: 'discussion_topic', asset_id: String(e.topic.canvasTopicId), asset_name: e.topic.name, category: 'topics' }, 'forum');
        if (e.action === 'thread_created') {
          return this.live('discussion_topic_created', e.t, e.session, learner, 'POST', {
            discussion_topic_id: String(hexId(e.threadId)),
            is_announcement: false,
            title: e.title,
            body: '<p>Could someone explain this part?</p>',
            assignment_id: null,
            context_id: String(course.canvas.courseId),
            context_type: 'Course',
            workflow_state: 'active',
            lock_at: null,
            updated_at: new Date(e.t).toISOString(),
          }, { category: 'forum' });
        }
        if (e.action === 'response_created' || e.action === 'comment_created') {
          return this.live('discussion_entry_created', e.t, e.session, learner, 'POST', {
            user_id: String(learner.entry.canvasUserId),
            created_at: new Date(e.t).toISOString(),
            discussion_entry_id: String(hexId(e.postId)),
            discussion_topic_id: String(hexId(e.threadId)),
            text: '<p>Here is how I understood it.</p>',
            parent_discussion_entry_id: e.action === 'comment_created' ? String(hexId(e.threadId) + 1) : null,
          }, { category: 'forum' });
        }
        return undefined;
      case 'wiki':
        return this.accessed(e, learner, { asset_type: 'wiki_page', asset_id: e.slug.split('/')[1], asset_name: e.slug.split('/')[1], category: 'wiki' }, 'access');
      default:
        return undefined;
    }
  }

  private accessed(e: SimEvent, learner: WriterLearner, body: Record<string, unknown>, category: RecordContribution['category']): CanvasLiveEvent {
    return this.live('asset_accessed', e.t, e.session, learner, 'GET', { ...body, role: 'StudentEnrollment', level: 'participate' }, { category });
  }

  private live(name: string, t: number, session: string, learner: WriterLearner, method: string, body: Record<string, unknown>, contribution: RecordContribution): CanvasLiveEvent {
    const { course } = this;
    const eventTime = new Date(t).toISOString();
    const metadata = {
      root_account_uuid: 'KeepupTestRootAccountUuid0000000000000000',
      root_account_id: '1',
      root_account_lti_guid: `keepup-test.${this.host}`,
      user_login: learner.entry.email,
      user_account_id: '1',
      user_sis_id: null,
      user_id: String(learner.entry.canvasUserId),
      time_zone: learner.entry.timeZone,
      context_type: 'Course',
      context_id: String(course.canvas.courseId),
      context_sis_source_id: null,
      context_account_id: String(course.canvas.accountId),
      context_role: 'StudentEnrollment',
      request_id: nameBasedUuid(`${learner.entry.canvasUserId}|${t}|${name}`),
      session_id: session,
      hostname: this.host,
      http_method: method,
      user_agent: learner.agent,
      client_ip: learner.ip,
      url: `${course.lmsUrl}/courses/${course.canvas.courseId}`,
      referrer: null,
      producer: 'canvas',
      event_name: name,
      event_time: eventTime,
    };
    return { time: t, session, line: JSON.stringify({ metadata, body }), contribution };
  }

  private submissionObject(s: Sequential, learner: WriterLearner, list: Array<{ at: number; score: number }> | undefined): Record<string, unknown> {
    const last = list?.[list.length - 1];
    const late = last !== undefined && s.dueAt !== undefined && last.at > s.dueAt;
    return {
      id: submissionId(s, learner),
      assignment_id: s.canvasAssignmentId,
      user_id: learner.entry.canvasUserId,
      submitted_at: last ? new Date(last.at).toISOString() : null,
      graded_at: last ? new Date(last.at).toISOString() : null,
      score: last ? last.score : null,
      grade: last ? String(last.score) : null,
      entered_score: last ? last.score : null,
      attempt: list ? list.length : null,
      workflow_state: last ? 'graded' : 'unsubmitted',
      submission_type: last ? 'online_quiz' : null,
      late,
      missing: !last && s.dueAt !== undefined && s.dueAt < this.course.endAt,
      seconds_late: late && last && s.dueAt !== undefined ? Math.round((last.at - s.dueAt) / 1000) : 0,
      excused: false,
      posted_at: last ? new Date(last.at).toISOString() : null,
      preview_url: `${this.course.lmsUrl}/courses/${this.course.canvas.courseId}/assignments/${s.canvasAssignmentId}/submissions/${learner.entry.canvasUserId}?preview=1`,
    };
  }

  private enrollmentObject(learner: WriterLearner, sim: SimulatedLearner, events: CanvasLiveEvent[]): Record<string, unknown> {
    const { course } = this;
    let total = 0;
    let sessionStart = 0;
    let sessionEnd = 0;
    let session = '';
    for (const e of events) {
      if (e.session !== session) {
        total += sessionEnd - sessionStart;
        session = e.session;
        sessionStart = e.time;
      }
      sessionEnd = e.time;
    }
    total += sessionEnd - sessionStart;
    const possible = this.assignments.reduce((sum, s) => sum + pointsPossible(s), 0);
    const earned = [...sim.graded.values()].reduce((sum, g) => sum + g.earned, 0);
    const finalScore = possible > 0 ? Math.round((earned / possible) * 10000) / 100 : 0;
    const lastActivity = events.length > 0 ? new Date(events[events.length - 1].time).toISOString() : null;
    return {
      id: enrollmentId(course, learner),
      user_id: learner.entry.canvasUserId,
      course_id: course.canvas.courseId,
      type: 'StudentEnrollment',
      created_at: new Date(sim.enrolledAt).toISOString(),
      updated_at: new Date(sim.enrolledAt).toISOString(),
      associated_user_id: null,
      start_at: null,
      end_at: null,
      course_section_id: course.canvas.courseId,
      root_account_id: course.canvas.accountId,
      limit_privileges_to_course_section: false,
      enrollment_state: 'active',
      role: 'StudentEnrollment',
      role_id: 3,
      last_activity_at: lastActivity,
      last_attended_at: null,
      total_activity_time: Math.round(total / 1000),
      html_url: `${course.lmsUrl}/courses/${course.canvas.courseId}/users/${learner.entry.canvasUserId}`,
      grades: { html_url: `${course.lmsUrl}/courses/${course.canvas.courseId}/grades/${learner.entry.canvasUserId}`, current_score: finalScore, current_grade: null, final_score: finalScore, final_grade: null, unposted_current_score: finalScore, unposted_final_score: finalScore },
      user: { id: learner.entry.canvasUserId, name: learner.entry.name, sortable_name: `${learner.entry.lastName}, ${learner.entry.firstName}`, short_name: learner.entry.firstName, login_id: learner.entry.email },
    };
  }

  private summaryObject(learner: WriterLearner, events: CanvasLiveEvent[], attempts: Map<Sequential, Array<{ at: number; score: number }>>): Record<string, unknown> {
    let pageViews = 0;
    let participations = 0;
    for (const e of events) {
      if (e.line.includes('"event_name":"asset_accessed"')) pageViews++;
      else if (e.contribution.category !== 'enrollment') participations++;
    }
    let onTime = 0;
    let late = 0;
    let missing = 0;
    for (const s of this.assignments) {
      const list = attempts.get(s);
      if (!list) missing++;
      else if (s.dueAt !== undefined && list[list.length - 1].at > s.dueAt) late++;
      else onTime++;
    }
    return {
      id: learner.entry.canvasUserId,
      page_views: pageViews,
      page_views_level: pageViews > 200 ? 3 : pageViews > 50 ? 2 : pageViews > 0 ? 1 : 0,
      participations,
      participations_level: participations > 20 ? 3 : participations > 5 ? 2 : participations > 0 ? 1 : 0,
      tardiness_breakdown: { total: this.assignments.length, on_time: onTime, late, missing, floating: 0 },
    };
  }
}

function pointsPossible(s: Sequential): number {
  return s.verticals.reduce((sum, v) => sum + v.problems.reduce((p, q) => p + (q.graded ? q.maxGrade : 0), 0), 0);
}

function submissionId(s: Sequential, learner: WriterLearner): number {
  return (s.canvasAssignmentId ?? 0) * 1_000_000 + learner.entry.index;
}

function enrollmentId(course: CourseStructure, learner: WriterLearner): number {
  return course.canvas.courseId * 1_000_000 + learner.entry.index;
}

function hexId(hex: string): number {
  return parseInt(hex.slice(0, 10), 16);
}
