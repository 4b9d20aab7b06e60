import express, { Router, type Request } from 'express';
import { AuthenticationError, NotFoundError } from '../../../errors';
import { authenticateInbound, recordInboundUse } from '../../../ingest/dataConnections';
import { verifyLiveEventJwt } from '../../../ingest/liveEventSignature';
import { caliperEvents, mapCaliper } from '../../../ingest/mappers/caliper';
import { isCanvasLiveEvent, mapCanvasLiveEvent } from '../../../ingest/mappers/canvasLiveEvent';
import { receiveEvents, type PushedEvent } from '../../../ingest/pushIngest';
import { DataConnection, type DataConnectionDoc } from '../../../storage/models/DataConnection';
import type { AppDeps } from '../../app';

/** The event payload: the verified claims of a signed delivery, or the JSON body. */
async function payloadOf(req: Request, connection: DataConnectionDoc): Promise<unknown> {
  const { jwks, jwksUrl } = connection.settings ?? {};
  if (jwks || jwksUrl) {
    const token = typeof req.body === 'string' ? req.body.trim() : '';
    if (!token) throw AuthenticationError('This connection only accepts signed Live Events (a JWT body).');
    let claims: unknown;
    try {
      claims = await verifyLiveEventJwt(token, { jwks, jwksUrl });
    } catch (error) {
      throw AuthenticationError(`The Live Event signature is not valid: ${(error as Error).message}`);
    }
    await recordInboundUse(connection);
    return claims;
  }
  await authenticateInbound(req.header('authorization'), ['canvas-live']);
  return typeof req.body === 'string' ? JSON.parse(req.body) : req.body;
}

/**
 * `POST /canvas/live-events/:key`: Canvas Live Events over HTTPS, in Canvas format (`{metadata, body}`)
 * or Caliper 1.1. When the connection has a JWKS (Canvas's "Sign Payload" option), the body must be a
 * JWT signed by one of its keys; otherwise the connection's Basic/Bearer credentials are required.
 * A redelivered event adds nothing.
 */
export function canvasLiveEventRoutes(_deps: AppDeps): Router {
  const router = Router();
  router.post(
    '/canvas/live-events/:key',
    express.text({ type: ['application/jwt', 'text/plain'], limit: '2mb' }),
    express.json({ limit: '2mb', type: ['application/json', 'application/*+json'] }),
    async (req, res) => {
      const connection = await DataConnection.findOne({ key: req.params.key, kind: 'canvas-live', status: 'active' }).lean<DataConnectionDoc>();
      if (!connection) throw NotFoundError('No Live Events connection has this key.');
      const payload = await payloadOf(req, connection);
      let mapped: PushedEvent[];
      if (isCanvasLiveEvent(payload)) mapped = [mapCanvasLiveEvent(payload)];
      else {
        const events = caliperEvents(payload);
        if (!events) {
          res.status(400).json({ error: 'validation_error', message: 'The body is neither a Canvas Live Event nor a Caliper envelope.' });
          return;
        }
        mapped = events.map((e) => mapCaliper(e, { platform: 'canvas', source: 'canvas-live' }));
      }
      const { summary, problems } = await receiveEvents(connection, 'canvas-live', payload, mapped);
      res.status(problems.length && !summary.accepted ? 400 : 200).json({ accepted: summary.accepted, rejected: summary.rejected, problems });
    },
  );
  return router;
}
