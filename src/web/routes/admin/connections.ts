import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { publicBase } from '../../../../lti/toolUrls';
import { NotFoundError } from '../../../errors';
import { createInboundConnection, createOutboundConnection, type InboundKind } from '../../../ingest/dataConnections';
import { Course } from '../../../storage/models/Course';
import { DataConnection, type DataConnectionDoc } from '../../../storage/models/DataConnection';
import type { AppDeps } from '../../app';
import { requireAdmin, verifyCsrf } from '../../auth/adminSession';
import { connectionStatusSchema, formProblems, inboundConnectionSchema, outboundConnectionSchema } from './connectionSchemas';

const objectId = z.string().regex(/^[a-f\d]{24}$/i);

const KIND_LABELS: Record<DataConnectionDoc['kind'], string> = {
  xapi: 'xAPI LRS',
  caliper: 'Caliper',
  'canvas-live': 'Canvas Live Events',
  'canvas-rest': 'Canvas REST (pull)',
  'openedx-rest': 'Open edX REST (pull)',
};

type CourseLabel = { id: string; label: string };

/** Choices of a form select with the value sent back selected (after a refused form). */
function choices(options: Array<[string, string]>, selected: unknown) {
  return options.map(([value, label]) => ({ value, label, selected: value === selected }));
}

/** Where a platform sends the events of an inbound connection. */
export function inboundEndpoint(base: string, kind: InboundKind, key: string): string {
  if (kind === 'xapi') return `${base}/xapi/`;
  if (kind === 'caliper') return `${base}/caliper`;
  return `${base}/canvas/live-events/${key}`;
}

/** A list row of a connection: public fields only (never the secret hash or the sealed credentials). Last used: credentials accepted (inbound) or last pull. */
function presentConnection(c: DataConnectionDoc & { createdAt?: Date }, courses: Map<string, string>) {
  const lastUse = c.lastUsedAt ?? c.lastRunAt;
  return {
    id: String(c._id),
    name: c.name,
    kind: KIND_LABELS[c.kind],
    archiveRaw: !!c.settings?.archiveRaw,
    inbound: ['xapi', 'caliper', 'canvas-live'].includes(c.kind),
    key: c.key,
    platform: c.platform,
    course: c.courseId ? (courses.get(String(c.courseId)) ?? String(c.courseId)) : 'any course',
    source: c.settings?.baseUrl ? `${c.settings.baseUrl} · ${c.settings.externalCourseId ?? ''}` : '',
    created: c.createdAt ? c.createdAt.toISOString().slice(0, 16).replace('T', ' ') : '',
    lastUsed: lastUse ? lastUse.toISOString().slice(0, 16).replace('T', ' ') : 'never',
    status: c.status,
    active: c.status === 'active',
  };
}

async function courseLabels(): Promise<CourseLabel[]> {
  const courses = await Course.find({}, { title: 1, externalId: 1, platform: 1 }).sort({ title: 1, externalId: 1 }).limit(1000).lean();
  return courses.map((c) => ({ id: String(c._id), label: c.title && c.title !== c.externalId ? `${c.title} (${c.externalId})` : `${c.externalId} (${c.platform})` }));
}

/**
 * `/admin/connections`: the data connections (list, enable/disable), creating an inbound connection whose
 * endpoint and credentials are shown once, and creating a pull connection whose credentials are sealed at rest.
 */
export function adminConnectionRoutes(deps: AppDeps): Router {
  const router = Router();
  const baseOf = (req: Request) => publicBase(deps.config.PUBLIC_URL, req).replace(/\/+$/, '');

  const renderList = async (req: Request, res: Response, extra: Record<string, unknown> = {}) => {
    const [connections, courses] = await Promise.all([DataConnection.find({}).sort({ createdAt: -1 }).lean<Array<DataConnectionDoc & { createdAt?: Date }>>(), courseLabels()]);
    const names = new Map(courses.map((c) => [c.id, c.label]));
    const inbound = (extra.inbound ?? {}) as Record<string, unknown>;
    res.render('admin/connections', {
      title: 'Data connections',
      csrf: req.adminSession!.csrf,
      connections: connections.map((c) => presentConnection(c, names)),
      inboundKinds: choices([['xapi', KIND_LABELS.xapi], ['caliper', KIND_LABELS.caliper], ['canvas-live', KIND_LABELS['canvas-live']]], inbound.kind),
      platforms: choices([['openedx', 'Open edX'], ['canvas', 'Canvas'], ['moodle', 'Moodle']], inbound.platform),
      courses: choices(courses.map((c) => [c.id, c.label]), inbound.courseId),
      outboundKinds: choices([['canvas-rest', 'Canvas REST'], ['openedx-rest', 'Open edX REST']], (extra.outbound as Record<string, unknown> | undefined)?.kind),
      ...extra,
    });
  };

  router.get('/admin/connections', requireAdmin, (req, res) => renderList(req, res));

  router.post('/admin/connections/inbound', requireAdmin, verifyCsrf, async (req, res) => {
    const form = inboundConnectionSchema.safeParse(req.body);
    const course = form.success && form.data.courseId ? await Course.findById(form.data.courseId).lean() : null;
    const problem = !form.success ? formProblems(form.error) : form.data.courseId && !course ? 'courseId must be a course of this list' : undefined;
    if (!form.success || problem) {
      res.status(400);
      return renderList(req, res, { inboundError: problem, inbound: req.body });
    }
    const issued = await createInboundConnection({ kind: form.data.kind, platform: form.data.platform, name: form.data.name, courseId: form.data.courseId, tenant: course?.tenant ?? 'local', jwksUrl: form.data.jwksUrl, archiveRaw: form.data.archiveRaw });
    res.status(201).render('admin/connectionCreated', {
      title: 'Data connection created',
      name: form.data.name,
      kind: KIND_LABELS[form.data.kind],
      endpoint: inboundEndpoint(baseOf(req), form.data.kind, issued.key),
      key: issued.key,
      secret: issued.secret,
      bearer: issued.bearer,
      basic: Buffer.from(`${issued.key}:${issued.secret}`).toString('base64'),
    });
  });

  router.post('/admin/connections/outbound', requireAdmin, verifyCsrf, async (req, res) => {
    const form = outboundConnectionSchema.safeParse(req.body);
    if (!form.success) {
      res.status(400);
      const { clientSecret: _s, refreshToken: _r, ...safe } = req.body ?? {};
      return renderList(req, res, { outboundError: formProblems(form.error), outbound: safe });
    }
    const d = form.data;
    const credentials = d.kind === 'canvas-rest' ? { clientId: d.clientId, clientSecret: d.clientSecret, refreshToken: d.refreshToken } : { clientId: d.clientId, clientSecret: d.clientSecret };
    await createOutboundConnection({ kind: d.kind, platform: d.kind === 'canvas-rest' ? 'canvas' : 'openedx', name: d.name, baseUrl: d.baseUrl, externalCourseId: d.externalCourseId, credentials });
    res.redirect(303, '/admin/connections');
  });

  router.post('/admin/connections/:id/status', requireAdmin, verifyCsrf, async (req, res) => {
    const id = objectId.parse(req.params.id);
    const { status } = connectionStatusSchema.parse(req.body);
    if (!(await DataConnection.findByIdAndUpdate(id, { $set: { status } }))) throw NotFoundError('No such data connection.');
    res.redirect(303, '/admin/connections');
  });
  return router;
}
