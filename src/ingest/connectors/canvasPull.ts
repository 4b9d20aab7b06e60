import { dayNumber } from '../../domain/activity';
import { DataConnection, type DataConnectionDoc } from '../../storage/models/DataConnection';
import { openCredentials, storeCredentials } from '../dataConnections';
import { IngestSession } from '../ingestSession';
import type { ImportSummary } from '../importStats';
import { upsertRoster } from '../learnerRoster';
import { canvasLocalId, parseEventTime } from '../mappers/common';
import { storeOutcomes } from '../outcomes';
import { HttpClient, nextLink, type HttpPolicy } from './httpClient';
import { finishPull, saveCursor, type PullCursor } from './pullRun';

/** What a Canvas connection stores, sealed. */
export interface CanvasCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken?: string;
  expiresAt?: number;
}

interface CanvasWatermark {
  /** ISO time: submissions submitted since then are fetched next time. */
  submittedSince?: string;
  /** Day number: page views of days before it have been imported. */
  activityThroughDay?: number;
  /** Per enrollment id, the last `total_activity_time` seen (seconds). */
  activityTime?: Record<string, number>;
}

const STAGES = ['enrollments', 'submissions', 'summaries', 'activity'] as const;

/**
 * Pulls one Canvas course over the REST API into the daily aggregates, incrementally and resumably:
 * 1. enrollments (StudentEnrollment): the roster (canvas user ids), an enrollment event on `created_at`,
 *    an access event at `last_activity_at` credited with the growth of `total_activity_time`, and the
 *    current score as the `grade` outcome;
 * 2. submissions submitted since the watermark: one problem attempt per (submission, attempt);
 * 3. analytics student summaries, to find learners with page views;
 * 4. per-learner analytics activity: page views per complete UTC day since the watermark, as access counts.
 * Each fact is its own contribution, so repeated pulls never double count. The cursor (stage, next
 * `Link` page) is saved after each page; a crashed pull resumes from it. Throttling and token expiry are
 * handled by HttpClient (backoff on 403 Rate Limit Exceeded / 429, OAuth2 refresh on 401).
 */
export async function pullCanvasCourse(connectionId: string, policy: HttpPolicy = {}): Promise<ImportSummary> {
  const connection = await DataConnection.findById(connectionId).lean<DataConnectionDoc>();
  if (!connection || connection.kind !== 'canvas-rest') throw new Error(`No Canvas REST connection ${connectionId}`);
  const base = connection.settings!.baseUrl!;
  const courseExternal = connection.settings!.externalCourseId!;
  let credentials = openCredentials<CanvasCredentials>(connection);
  const refresh = async () => {
    const res = await fetch(`${base}/login/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }),
    });
    if (!res.ok) throw new Error(`Canvas token refresh failed: ${res.status} ${await res.text()}`);
    const token = (await res.json()) as { access_token: string; expires_in?: number };
    credentials = { ...credentials, accessToken: token.access_token, expiresAt: Date.now() + (token.expires_in ?? 3600) * 1000 };
    await storeCredentials(connection._id, credentials);
  };
  const http = new HttpClient(
    async () => {
      if (!credentials.accessToken || (credentials.expiresAt ?? 0) < Date.now() + 30_000) await refresh();
      return `Bearer ${credentials.accessToken}`;
    },
    refresh,
    policy,
  );
  const watermark = { ...((connection.watermark ?? {}) as CanvasWatermark) };
  const PER_PAGE = policy.perPage ?? 100;
  const session = new IngestSession({ source: 'canvas-rest', platform: 'canvas', tenant: connection.tenant });
  const courseId = await session.course(courseExternal);
  const api = `${base}/api/v1/courses/${encodeURIComponent(courseExternal)}`;
  let cursor: PullCursor = (connection.cursor as PullCursor | null) ?? { stage: 'enrollments' };
  const pullStart = new Date();
  const today = dayNumber(pullStart);
  let newestSubmission = watermark.submittedSince;
  const activityTime = { ...(watermark.activityTime ?? {}) };
  const students: string[] = [];

  const pages = async function* (first: string): AsyncGenerator<unknown[]> {
    let url: string | undefined = cursor.url ?? first;
    while (url) {
      const { body, headers } = await http.getJson<unknown[]>(url);
      yield body;
      url = nextLink(headers.get('link'));
      cursor = { stage: cursor.stage, url };
      await session.checkpoint();
      await saveCursor(connection._id, cursor);
    }
  };

  for (const stage of STAGES.slice(STAGES.indexOf(cursor.stage as (typeof STAGES)[number]))) {
    if (cursor.stage !== stage) cursor = { stage };
    if (stage === 'enrollments') {
      for await (const page of pages(`${api}/enrollments?type[]=StudentEnrollment&per_page=${PER_PAGE}`)) {
        const rows = page as Array<Record<string, unknown>>;
        await upsertRoster(courseId, rows.map((e) => ({ ids: { canvas_user_id: canvasLocalId(e.user_id)! }, name: (e.user as { name?: string } | undefined)?.name })), session.directory(courseId));
        const grades: Array<{ ref: string; value: number }> = [];
        for (const e of rows) {
          const user = canvasLocalId(e.user_id)!;
          const created = parseEventTime(e.created_at);
          if (created) await session.addFact(courseExternal, 'canvas_user_id', user, { d: dayNumber(created), e: 1, s: 1 }, `ce:${e.id}`, 'enrollment', 'enrollment');
          const last = parseEventTime(e.last_activity_at);
          const total = Number(e.total_activity_time ?? 0);
          if (last) {
            const grown = Math.max(0, total - (activityTime[String(e.id)] ?? 0));
            await session.addFact(courseExternal, 'canvas_user_id', user, { d: dayNumber(last), a: 1, t: grown, fa: last.getTime(), la: last.getTime() }, `cl:${e.id}:${last.getTime()}`, 'access', 'last_activity_at');
          }
          activityTime[String(e.id)] = total;
          const score = Number((e.grades as { current_score?: number } | undefined)?.current_score);
          if (Number.isFinite(score)) grades.push({ ref: session.directory(courseId)!.resolve('canvas_user_id', user).ref, value: score / 100 });
        }
        await storeOutcomes(courseId, 'grade', 'canvas-rest', grades);
      }
    } else if (stage === 'submissions') {
      const since = watermark.submittedSince ? `&submitted_since=${encodeURIComponent(watermark.submittedSince)}` : '';
      for await (const page of pages(`${api}/students/submissions?student_ids[]=all&per_page=${PER_PAGE}${since}`)) {
        for (const s of page as Array<Record<string, unknown>>) {
          const at = parseEventTime(s.submitted_at);
          if (!at) continue;
          if (!newestSubmission || String(s.submitted_at) > newestSubmission) newestSubmission = String(s.submitted_at);
          await session.addFact(courseExternal, 'canvas_user_id', canvasLocalId(s.user_id)!, { d: dayNumber(at), p: 1, pa: 1, fa: at.getTime(), la: at.getTime() }, `cs:${s.id}:${s.attempt ?? 1}`, 'problem', 'submission');
        }
      }
    } else if (stage === 'summaries') {
      for await (const page of pages(`${api}/analytics/student_summaries?per_page=${PER_PAGE}`)) {
        for (const row of page as Array<Record<string, unknown>>) if (Number(row.page_views) > 0) students.push(String(row.id));
      }
      cursor = { stage: 'activity', index: 0 };
      await DataConnection.updateOne({ _id: connection._id }, { $set: { cursor: { ...cursor, students } } });
    } else {
      const saved = ((await DataConnection.findById(connection._id).lean())?.cursor ?? {}) as PullCursor & { students?: string[] };
      const list = saved.students ?? students;
      const from = watermark.activityThroughDay ?? 0;
      for (let i = saved.index ?? 0; i < list.length; i++) {
        const { body } = await http.getJson<{ page_views?: Record<string, number> }>(`${api}/analytics/users/${encodeURIComponent(list[i])}/activity`);
        const perDay = new Map<number, number>();
        for (const [hour, n] of Object.entries(body.page_views ?? {})) {
          const t = parseEventTime(hour);
          if (!t) continue;
          const d = dayNumber(t);
          if (d >= from && d < today) perDay.set(d, (perDay.get(d) ?? 0) + Number(n));
        }
        for (const [d, n] of perDay) await session.addFact(courseExternal, 'canvas_user_id', canvasLocalId(list[i])!, { d, a: n }, `ca:${list[i]}:${d}`, 'access', 'page_views', n);
        await session.checkpoint();
        await DataConnection.updateOne({ _id: connection._id }, { $set: { 'cursor.index': i + 1 } });
      }
    }
  }
  const next: CanvasWatermark = { submittedSince: newestSubmission, activityThroughDay: today, activityTime };
  await finishPull(connection, 'canvas-rest', session, next as Record<string, unknown>, { requests: http.requests, throttled: http.throttled });
  return session.stats.summary();
}
