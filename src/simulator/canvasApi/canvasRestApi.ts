import crypto from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';

/** One Canvas course's data the emulation serves (objects shaped as the Canvas REST API returns them). */
export interface CanvasCourseData {
  enrollments: Array<Record<string, unknown>>;
  submissions: Array<Record<string, unknown>>;
  studentSummaries: Array<Record<string, unknown>>;
  /** Per user id: `{ page_views: { '<hour ISO>': n }, participations: [...] }`. */
  activity: Record<string, { page_views: Record<string, number>; participations: Array<Record<string, unknown>> }>;
}

export interface CanvasApiOptions {
  courses: Record<string, CanvasCourseData>;
  /** OAuth2 developer key and the refresh token it issued. */
  client: { clientId: string; clientSecret: string; refreshToken: string };
  /** Access token lifetime, seconds. Default 3600. */
  tokenTtlSeconds?: number;
  /** Throttle bucket size (Canvas's high water mark) and drain per second. Default 700 and 10. */
  quota?: number;
  drainPerSecond?: number;
  /** Cost of each request. Default 1. */
  requestCost?: number;
  /** Test hook: answer this request with a 500 instead (a crashed upstream). */
  fail?: (req: Request) => boolean;
}

/**
 * Canvas REST emulation for the pull connector, following the public docs: OAuth2 refresh
 * (`POST /login/oauth2/token`), `GET /api/v1/courses/:id/enrollments`, `.../students/submissions`,
 * `.../analytics/student_summaries`, `.../analytics/users/:id/activity`; pagination by `page`/`per_page`
 * (default 10, max 100) with an RFC 5988 `Link` header (current, next, prev, first, last); throttling as a
 * leaky bucket per token with `X-Request-Cost` and `X-Rate-Limit-Remaining`, answering
 * `403 Forbidden (Rate Limit Exceeded)` when the bucket is empty; expired or unknown tokens get 401 with
 * `WWW-Authenticate` and `{"errors":[{"message":"Invalid access token."}]}`.
 */
export function canvasRestApi(options: CanvasApiOptions): Router & { requests: string[]; tokens: Map<string, number> } {
  const router = Router() as Router & { requests: string[]; tokens: Map<string, number> };
  const tokens = new Map<string, number>();
  const buckets = new Map<string, { level: number; at: number }>();
  const quota = options.quota ?? 700;
  const drain = options.drainPerSecond ?? 10;
  const cost = options.requestCost ?? 1;
  router.requests = [];
  router.tokens = tokens;

  router.post('/login/oauth2/token', express.urlencoded({ extended: false }), express.json(), (req, res) => {
    const b = req.body ?? {};
    if (b.grant_type !== 'refresh_token' || b.client_id !== options.client.clientId || b.client_secret !== options.client.clientSecret || b.refresh_token !== options.client.refreshToken) {
      res.status(400).json({ error: 'invalid_grant', error_description: 'refresh_token not found' });
      return;
    }
    const token = crypto.randomBytes(24).toString('base64url');
    const ttl = options.tokenTtlSeconds ?? 3600;
    tokens.set(token, Date.now() + ttl * 1000);
    res.json({ access_token: token, token_type: 'Bearer', expires_in: ttl, user: { id: 1, name: 'Keepup' } });
  });

  router.use('/api/v1', (req, res, next) => {
    router.requests.push(req.originalUrl);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expires = token ? tokens.get(token) : undefined;
    if (!token || !expires || expires < Date.now()) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="canvas-lms"');
      res.status(401).json({ errors: [{ message: 'Invalid access token.' }] });
      return;
    }
    const now = Date.now();
    const bucket = buckets.get(token) ?? { level: 0, at: now };
    bucket.level = Math.max(0, bucket.level - ((now - bucket.at) / 1000) * drain);
    bucket.at = now;
    buckets.set(token, bucket);
    if (bucket.level + cost > quota) {
      res.setHeader('X-Request-Cost', '0');
      res.setHeader('X-Rate-Limit-Remaining', '0.0');
      res.status(403).type('text/plain').send('403 Forbidden (Rate Limit Exceeded)');
      return;
    }
    bucket.level += cost;
    res.setHeader('X-Request-Cost', cost.toFixed(1));
    res.setHeader('X-Rate-Limit-Remaining', (quota - bucket.level).toFixed(1));
    if (options.fail?.(req)) {
      res.status(500).json({ errors: [{ message: 'An error occurred.' }] });
      return;
    }
    next();
  });

  const course = (req: Request, res: Response): CanvasCourseData | undefined => {
    const data = options.courses[String(req.params.courseId)];
    if (!data) res.status(404).json({ errors: [{ message: 'The specified resource does not exist.' }] });
    return data;
  };

  router.get('/api/v1/courses/:courseId/enrollments', (req, res) => {
    const data = course(req, res);
    if (!data) return;
    const types = list(req.query['type[]'] ?? req.query.type);
    paginate(req, res, data.enrollments.filter((e) => !types.length || types.includes(String(e.type))));
  });

  router.get('/api/v1/courses/:courseId/students/submissions', (req, res) => {
    const data = course(req, res);
    if (!data) return;
    const since = typeof req.query.submitted_since === 'string' ? Date.parse(req.query.submitted_since) : NaN;
    const rows = data.submissions
      .filter((s) => s.submitted_at && (Number.isNaN(since) || Date.parse(String(s.submitted_at)) >= since))
      .sort((a, b) => String(a.submitted_at).localeCompare(String(b.submitted_at)) || Number(a.id) - Number(b.id));
    paginate(req, res, rows);
  });

  router.get('/api/v1/courses/:courseId/analytics/student_summaries', (req, res) => {
    const data = course(req, res);
    if (data) paginate(req, res, data.studentSummaries);
  });

  router.get('/api/v1/courses/:courseId/analytics/users/:userId/activity', (req, res) => {
    const data = course(req, res);
    if (!data) return;
    const activity = data.activity[String(req.params.userId)];
    if (!activity) {
      res.status(404).json({ errors: [{ message: 'The specified resource does not exist.' }] });
      return;
    }
    res.json(activity);
  });
  return router;
}

function list(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
}

/** Canvas-style paging: `page` and `per_page` (default 10, max 100) and a Link header with absolute URLs. */
function paginate(req: Request, res: Response, rows: unknown[]): void {
  const perPage = Math.min(100, Math.max(1, Number(req.query.per_page) || 10));
  const page = Math.max(1, Number(req.query.page) || 1);
  const last = Math.max(1, Math.ceil(rows.length / perPage));
  const url = (p: number) => {
    const u = new URL(`${req.protocol}://${req.get('host')}${req.originalUrl}`);
    u.searchParams.set('page', String(p));
    u.searchParams.set('per_page', String(perPage));
    return u.toString();
  };
  const links = [`<${url(page)}>; rel="current"`];
  if (page < last) links.push(`<${url(page + 1)}>; rel="next"`);
  if (page > 1) links.push(`<${url(page - 1)}>; rel="prev"`);
  links.push(`<${url(1)}>; rel="first"`, `<${url(last)}>; rel="last"`);
  res.setHeader('Link', links.join(','));
  res.json(rows.slice((page - 1) * perPage, page * perPage));
}
