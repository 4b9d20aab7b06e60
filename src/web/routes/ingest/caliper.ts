import express, { Router } from 'express';
import { authenticateInbound } from '../../../ingest/dataConnections';
import { caliperEvents, mapCaliper } from '../../../ingest/mappers/caliper';
import { receiveEvents } from '../../../ingest/pushIngest';
import type { AppDeps } from '../../app';

/**
 * `POST /caliper`: a Caliper 1.1/1.2 endpoint. Takes an envelope (`sensor`, `sendTime`,
 * `dataVersion`, `data[]`) with the data connection's Bearer (or Basic) credentials. Valid events are
 * kept even when others are refused; the answer lists what was accepted and each refusal.
 */
export function caliperRoutes(_deps: AppDeps): Router {
  const router = Router();
  router.post('/caliper', express.json({ limit: '10mb', type: ['application/json', 'application/*+json'] }), async (req, res) => {
    const connection = await authenticateInbound(req.header('authorization'), ['caliper']);
    const events = caliperEvents(req.body);
    if (!events) {
      res.status(400).json({ error: 'validation_error', message: 'The body must be a Caliper envelope with a data array.' });
      return;
    }
    const { summary, problems } = await receiveEvents(connection, 'caliper', req.body, events.map((e) => mapCaliper(e, { platform: connection.platform })));
    res.status(problems.length && !summary.accepted ? 400 : 200).json({ accepted: summary.accepted, rejected: summary.rejected, problems });
  });
  return router;
}
