import crypto from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';

/** One Open edX course's data the emulation serves. */
export interface OpenEdxCourseData {
  enrollments: Array<{ username: string; created: string; mode: string; is_active: boolean }>;
  grades: Array<{ username: string; email: string; passed: boolean; percent: number; letter_grade: string | null }>;
  certificates: Record<string, { certificate_type: string; created_date: string; status: string; is_passing: boolean; grade: string }>;
  /** Per username: earned and possible completion; undefined when the completion aggregator is not installed. */
  completion?: Record<string, { earned: number; possible: number }>;
  blocks: Record<string, { id: string; block_id: string; type: string; display_name: string; due?: string | null; graded?: boolean; format?: string | null; children?: string[] }>;
  root: string;
}

export interface OpenEdxApiOptions {
  courses: Record<string, OpenEdxCourseData>;
  client: { clientId: string; clientSecret: string };
  /** JWT lifetime, seconds. Default 3600. */
  tokenTtlSeconds?: number;
  /** Requests allowed per second per client before DRF-style 429 throttling. Default unlimited. */
  ratePerSecond?: number;
  fail?: (req: Request) => boolean;
}

/**
 * Open edX REST emulation for the pull connector: `POST /oauth2/access_token` (client credentials,
 * `token_type=jwt`), then `Authorization: JWT <token>` on `GET /api/enrollment/v1/enrollments/`,
 * `/api/grades/v1/courses/<course>/`, `/api/certificates/v0/certificates/<user>/courses/<course>/`,
 * `/completion-aggregator/v1/course/<course>/` and `/api/courses/v1/blocks/`. DRF conventions: paged
 * bodies `{count, next, previous, results}` with absolute `next` URLs, `{"detail": ...}` errors,
 * 429 with `Retry-After` when throttled.
 */
export function openedxRestApi(options: OpenEdxApiOptions): Router & { requests: string[] } {
  const router = Router() as Router & { requests: string[] };
  router.requests = [];
  const secret = crypto.randomBytes(32);
  const windowStart = new Map<string, { at: number; n: number }>();

  router.post('/oauth2/access_token', express.urlencoded({ extended: false }), express.json(), (req, res) => {
    const b = req.body ?? {};
    if (b.grant_type !== 'client_credentials' || b.client_id !== options.client.clientId || b.client_secret !== options.client.clientSecret) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    const ttl = options.tokenTtlSeconds ?? 3600;
    const token = jwt.sign({ sub: 'keepup-service', scopes: ['read', 'profile'] }, secret, { expiresIn: ttl, issuer: 'openedx-sim' });
    res.json({ access_token: token, token_type: b.token_type === 'jwt' ? 'JWT' : 'Bearer', expires_in: ttl, scope: 'read profile' });
  });

  const guarded = Router();
  guarded.use((req, res, next) => {
    router.requests.push(req.originalUrl);
    const token = /^JWT (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return void res.status(401).json({ detail: 'Authentication credentials were not provided.' });
    try {
      jwt.verify(token, secret);
    } catch (error) {
      return void res.status(401).json({ detail: (error as Error).name === 'TokenExpiredError' ? 'Token has expired.' : 'Error decoding token.' });
    }
    if (options.ratePerSecond) {
      const now = Date.now();
      const w = windowStart.get(token);
      if (!w || now - w.at >= 1000) windowStart.set(token, { at: now, n: 1 });
      else if (++w.n > options.ratePerSecond) {
        const wait = Math.max(1, Math.ceil((1000 - (now - w.at)) / 1000));
        res.setHeader('Retry-After', String(wait));
        return void res.status(429).json({ detail: `Request was throttled. Expected available in ${wait} seconds.` });
      }
    }
    if (options.fail?.(req)) return void res.status(500).json({ detail: 'Server error' });
    next();
  });

  const courseOf = (id: unknown, res: Response): OpenEdxCourseData | undefined => {
    const data = options.courses[String(id)];
    if (!data) res.status(404).json({ detail: 'Not found.' });
    return data;
  };

  guarded.get('/api/enrollment/v1/enrollments/', (req, res) => {
    const data = courseOf(req.query.course_id, res);
    if (data) page(req, res, data.enrollments.map((e) => ({ ...e, user: e.username, course_id: String(req.query.course_id) })));
  });
  guarded.get('/api/grades/v1/courses/:courseId/', (req, res) => {
    const data = courseOf(req.params.courseId, res);
    if (data) page(req, res, data.grades.map((g) => ({ ...g, course_id: req.params.courseId })));
  });
  guarded.get('/api/certificates/v0/certificates/:username/courses/:courseId/', (req, res) => {
    const data = courseOf(req.params.courseId, res);
    if (!data) return;
    const cert = data.certificates[req.params.username];
    if (!cert) return void res.status(404).json({ error_code: 'no_certificate_for_user', developer_message: 'Certificate does not exist.' });
    res.json({ username: req.params.username, course_id: req.params.courseId, download_url: null, ...cert });
  });
  guarded.get('/completion-aggregator/v1/course/:courseId/', (req, res) => {
    const data = courseOf(req.params.courseId, res);
    if (!data) return;
    if (!data.completion) return void res.status(404).json({ detail: 'Not found.' });
    page(req, res, Object.entries(data.completion).map(([username, c]) => ({ username, course_key: req.params.courseId, completion: { ...c, percent: c.possible ? c.earned / c.possible : 0 } })));
  });
  guarded.get('/api/courses/v1/blocks/', (req, res) => {
    const data = courseOf(req.query.course_id, res);
    if (data) res.json({ root: data.root, blocks: data.blocks });
  });
  router.use(guarded);
  return router;
}

/** DRF page-number pagination (`page`, `page_size`, default 10, max 100). */
function page(req: Request, res: Response, rows: unknown[]): void {
  const size = Math.min(100, Math.max(1, Number(req.query.page_size) || 10));
  const n = Math.max(1, Number(req.query.page) || 1);
  const pages = Math.max(1, Math.ceil(rows.length / size));
  if (n > pages) return void res.status(404).json({ detail: 'Invalid page.' });
  const url = (p: number) => {
    const u = new URL(`${req.protocol}://${req.get('host')}${req.originalUrl}`);
    u.searchParams.set('page', String(p));
    u.searchParams.set('page_size', String(size));
    return u.toString();
  };
  res.json({ count: rows.length, num_pages: pages, next: n < pages ? url(n + 1) : null, previous: n > 1 ? url(n - 1) : null, results: rows.slice((n - 1) * size, n * size) });
}
