import crypto from 'node:crypto';
import type http from 'node:http';

/** The request id: the caller's `x-request-id` when it is a plain token, else a new UUID; echoed in the response. */
export function requestId(req: http.IncomingMessage, res: http.ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : crypto.randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}
