import { dayNumber } from '../../domain/activity';
import { DataConnection, type DataConnectionDoc } from '../../storage/models/DataConnection';
import { storeCourseBlocks } from '../../storage/models/CourseBlock';
import { Learner } from '../../storage/models/Learner';
import { LearnerOutcome } from '../../storage/models/LearnerOutcome';
import { openCredentials } from '../dataConnections';
import { IngestSession } from '../ingestSession';
import type { ImportSummary } from '../importStats';
import { upsertRoster } from '../learnerRoster';
import { parseEventTime } from '../mappers/common';
import { storeOutcomes } from '../outcomes';
import { HttpClient, UpstreamError, type HttpPolicy } from './httpClient';
import { finishPull, saveCursor, type PullCursor } from './pullRun';

/** What an Open edX connection stores, sealed: an OAuth2 application's client credentials. */
export interface OpenEdxCredentials {
  clientId: string;
  clientSecret: string;
}

interface Paged<T> {
  next: string | null;
  results: T[];
}

const STAGES = ['enrollments', 'grades', 'certificates', 'completion', 'blocks'] as const;

/**
 * Pulls one Open edX course over its REST APIs, resumably (cursor saved after each page):
 * a JWT from `POST /oauth2/access_token` (client credentials, `token_type=jwt`, renewed on 401);
 * enrollments (roster by username, an enrollment event on `created`); course grades (`passed`, `grade`
 * outcomes); certificates of the learners who passed (`certificate` outcome and event); completion from the
 * completion aggregator when installed (`completion` outcome; a 404 means it is not, and is skipped);
 * course blocks (structure with due dates and grading, kept in `course_blocks`).
 */
export async function pullOpenEdxCourse(connectionId: string, policy: HttpPolicy = {}): Promise<ImportSummary> {
  const connection = await DataConnection.findById(connectionId).lean<DataConnectionDoc>();
  if (!connection || connection.kind !== 'openedx-rest') throw new Error(`No Open edX REST connection ${connectionId}`);
  const base = connection.settings!.baseUrl!;
  const courseKey = connection.settings!.externalCourseId!;
  const credentials = openCredentials<OpenEdxCredentials>(connection);
  let token: { value: string; expiresAt: number } | undefined;
  const fetchToken = async () => {
    const res = await fetch(`${base}/oauth2/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret, token_type: 'jwt' }),
    });
    if (!res.ok) throw new UpstreamError(res.status, `${base}/oauth2/access_token`, await res.text());
    const body = (await res.json()) as { access_token: string; expires_in?: number };
    token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
  };
  const http = new HttpClient(
    async () => {
      if (!token || token.expiresAt < Date.now() + 30_000) await fetchToken();
      return `JWT ${token!.value}`;
    },
    fetchToken,
    policy,
  );
  const PAGE_SIZE = policy.perPage ?? 100;
  const session = new IngestSession({ source: 'openedx-rest', platform: 'openedx', tenant: connection.tenant });
  const courseId = await session.course(courseKey);
  const dir = () => session.directory(courseId)!;
  const key = encodeURIComponent(courseKey);
  let cursor: PullCursor = (connection.cursor as PullCursor | null) ?? { stage: 'enrollments' };

  const pages = async function* <T>(first: string): AsyncGenerator<T[]> {
    let url: string | null | undefined = cursor.url ?? first;
    while (url) {
      const page: { body: Paged<T> } = await http.getJson<Paged<T>>(url);
      yield page.body.results;
      url = page.body.next;
      cursor = { stage: cursor.stage, url: url ?? undefined };
      await session.checkpoint();
      await saveCursor(connection._id, cursor);
    }
  };

  for (const stage of STAGES.slice(STAGES.indexOf(cursor.stage as (typeof STAGES)[number]))) {
    if (cursor.stage !== stage) cursor = { stage };
    if (stage === 'enrollments') {
      for await (const rows of pages<{ user: string; created: string; is_active: boolean }>(`${base}/api/enrollment/v1/enrollments/?course_id=${key}&page_size=${PAGE_SIZE}`)) {
        await upsertRoster(courseId, rows.map((r) => ({ ids: { username: r.user } })), dir());
        for (const r of rows) {
          const created = parseEventTime(r.created);
          if (created) await session.addFact(courseKey, 'username', r.user, { d: dayNumber(created), e: 1, s: 1 }, `oe:${r.user}`, 'enrollment', 'enrollment');
        }
      }
    } else if (stage === 'grades') {
      for await (const rows of pages<{ username: string; passed: boolean; percent: number }>(`${base}/api/grades/v1/courses/${key}/?page_size=${PAGE_SIZE}`)) {
        const refs = rows.map((r) => ({ r, ref: dir().resolve('username', r.username).ref }));
        await storeOutcomes(courseId, 'grade', 'openedx-rest', refs.map(({ r, ref }) => ({ ref, value: Number(r.percent) })));
        await storeOutcomes(courseId, 'passed', 'openedx-rest', refs.map(({ r, ref }) => ({ ref, value: r.passed ? 1 : 0 })));
      }
    } else if (stage === 'certificates') {
      const refs = (await LearnerOutcome.find({ c: courseId, outcome: 'passed', value: 1 }).lean()).map((p) => p.l);
      const known = refs.filter((r) => !r.startsWith('?'));
      const learners = await Learner.find({ _id: { $in: known } }, { ids: 1 }).lean();
      const usernames = [
        ...refs.filter((r) => r.startsWith('?username:')).map((r) => r.slice('?username:'.length)),
        ...learners.map((l) => l.ids?.username).filter((u): u is string => !!u),
      ].sort();
      for (let i = cursor.index ?? 0; i < usernames.length; i++) {
        const username = usernames[i];
        try {
          const { body } = await http.getJson<{ status: string; created_date: string }>(`${base}/api/certificates/v0/certificates/${encodeURIComponent(username)}/courses/${key}/`);
          const earned = body.status === 'downloadable';
          await storeOutcomes(courseId, 'certificate', 'openedx-rest', [{ ref: dir().resolve('username', username).ref, value: earned ? 1 : 0 }]);
          const at = parseEventTime(body.created_date);
          if (earned && at) await session.addFact(courseKey, 'username', username, { d: dayNumber(at), r: 1 }, `oc:${username}`, 'certificate', 'certificate');
        } catch (error) {
          if (!(error instanceof UpstreamError && error.status === 404)) throw error;
        }
        await session.checkpoint();
        await saveCursor(connection._id, { stage, index: i + 1 });
      }
    } else if (stage === 'completion') {
      try {
        for await (const rows of pages<{ username: string; completion: { percent: number } }>(`${base}/completion-aggregator/v1/course/${key}/?page_size=${PAGE_SIZE}`)) {
          await storeOutcomes(courseId, 'completion', 'openedx-rest', rows.map((r) => ({ ref: dir().resolve('username', r.username).ref, value: Number(r.completion.percent) })));
        }
      } catch (error) {
        if (!(error instanceof UpstreamError && error.status === 404)) throw error;
      }
    } else {
      const { body } = await http.getJson<{ root: string; blocks: Record<string, { id: string; type: string; display_name?: string; due?: string | null; graded?: boolean; format?: string | null; children?: string[] }> }>(
        `${base}/api/courses/v1/blocks/?course_id=${key}&all_blocks=true&depth=all&requested_fields=children,due,graded,format,display_name&return_type=dict`,
      );
      const parent = new Map<string, string>();
      for (const block of Object.values(body.blocks)) for (const child of block.children ?? []) parent.set(child, block.id);
      await storeCourseBlocks(courseId, Object.values(body.blocks).map((b) => ({ id: b.id, type: b.type, name: b.display_name ?? '', due: b.due ? new Date(b.due) : null, graded: !!b.graded, format: b.format ?? null, parent: parent.get(b.id) ?? null })));
    }
  }
  await finishPull(connection, 'openedx-rest', session, { pulledAt: new Date().toISOString() }, { requests: http.requests, throttled: http.throttled });
  return session.stats.summary();
}
