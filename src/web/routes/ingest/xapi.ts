import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { authenticateInbound } from '../../../ingest/dataConnections';
import { receiveXapiStatements } from '../../../ingest/pushIngest';
import type { AppDeps } from '../../app';

const XAPI_VERSION = '1.0.3';
const putQuery = z.object({ statementId: z.string().uuid('statementId must be a UUID') });

/**
 * The xAPI statements resource for Open edX event-routing-backends (or any LRS client):
 * `POST /xapi/statements` (one statement or an array; answers the ids) and
 * `PUT /xapi/statements?statementId=` (204). Requires `X-Experience-API-Version: 1.0.x` and the
 * data connection's Basic or Bearer credentials. A batch with an invalid statement is refused whole
 * (400) with a reason per statement; a repeated id with the same content is accepted and counted once;
 * with different content it is a 409.
 */
export function xapiRoutes(_deps: AppDeps): Router {
  const router = Router();
  router.use('/xapi', (req, res, next) => {
    res.setHeader('X-Experience-API-Version', XAPI_VERSION);
    const version = req.header('x-experience-api-version');
    if (!version || !/^1\.0(\.\d+)?$/.test(version)) {
      res.status(400).json({ error: 'validation_error', message: 'The X-Experience-API-Version header is required and must be 1.0.x.' });
      return;
    }
    next();
  });
  router.use('/xapi', express.json({ limit: '10mb', type: ['application/json', 'application/*+json'] }));
  router.get('/xapi/about', (_req, res) => res.json({ version: [XAPI_VERSION] }));

  const handle = async (req: Request, res: Response, forcedId?: string) => {
    const connection = await authenticateInbound(req.header('authorization'), ['xapi']);
    const body: unknown = req.body;
    if (body === undefined || body === null || typeof body !== 'object') {
      res.status(400).json({ error: 'validation_error', message: 'The body must be a statement or an array of statements.' });
      return;
    }
    const statements = Array.isArray(body) ? body : [body];
    if (forcedId && statements.length !== 1) {
      res.status(400).json({ error: 'validation_error', message: 'PUT takes exactly one statement.' });
      return;
    }
    const result = await receiveXapiStatements(connection, statements, { forcedId });
    if (result.status !== 'ok') {
      res.status(result.status === 'invalid' ? 400 : 409).json({
        error: result.status === 'invalid' ? 'validation_error' : 'conflict',
        message: result.status === 'invalid' ? 'Some statements are invalid; none were stored.' : 'Some statement ids are already stored with different content; none were stored.',
        statements: result.problems,
      });
      return;
    }
    if (forcedId) res.status(204).end();
    else res.status(200).json(result.ids);
  };
  router.post('/xapi/statements', (req, res) => handle(req, res));
  router.put('/xapi/statements', async (req, res) => {
    const query = putQuery.safeParse(req.query);
    if (!query.success) {
      res.status(400).json({ error: 'validation_error', message: 'statementId must be a UUID.' });
      return;
    }
    await handle(req, res, query.data.statementId);
  });
  return router;
}
