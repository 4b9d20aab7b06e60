import crypto from 'node:crypto';
import express, { Router } from 'express';
import rateLimit from 'express-rate-limit';
import { recordBounce } from '../../../messaging/bounces/recordBounce';
import { AuthenticationError, UnavailableError, ValidationError } from '../../../errors';
import type { AppDeps } from '../../app';

/**
 * The bounce intake: `POST /inbound/bounces` takes one raw message (RFC 5322, e.g. a DSN the MTA received at a
 * `bounce+…@BOUNCE_DOMAIN` address and pipes here) with `Authorization: Bearer <KEEPUP_BOUNCE_SECRET>` and
 * optionally `?recipient=<envelope recipient>`. Answers 202 with what was recorded; mail that is not a
 * delivery status report, or not for one of our deliveries, is accepted and dropped so the MTA does not retry.
 */
export function bounceRoutes(deps: AppDeps): Router {
  const router = Router();
  const limiter = rateLimit({ windowMs: 60_000, limit: 1200, standardHeaders: 'draft-7', legacyHeaders: false });
  router.post('/inbound/bounces', limiter, (req, _res, next) => {
    const secret = deps.config.KEEPUP_BOUNCE_SECRET;
    if (!secret) return next(UnavailableError('The bounce intake is off: set KEEPUP_BOUNCE_SECRET.'));
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = crypto.createHash('sha256').update(given).digest();
    const b = crypto.createHash('sha256').update(secret).digest();
    if (!crypto.timingSafeEqual(a, b)) return next(AuthenticationError('Send the bounce secret as Authorization: Bearer <KEEPUP_BOUNCE_SECRET>.'));
    next();
  }, express.raw({ type: () => true, limit: '2mb' }), async (req, res) => {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw ValidationError('Send the raw message as the request body.');
    const recipient = typeof req.query.recipient === 'string' ? req.query.recipient.slice(0, 320) : undefined;
    res.status(202).json(await recordBounce(req.body, recipient));
  });
  return router;
}
