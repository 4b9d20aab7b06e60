import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { KeepupError } from '../errors';
import { log } from '../log';

/**
 * Turns any error into a JSON answer with a stable id (or a plain page for browsers);
 * never leaks a stack trace. Unexpected errors are logged with the request id.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  let status = 500;
  let id = 'internal_error';
  let message = 'Something went wrong on our side.';
  if (error instanceof KeepupError) {
    ({ status, id, message } = error);
  } else if (error instanceof ZodError) {
    status = 400;
    id = 'validation_error';
    message = error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  } else if ((error as { type?: string }).type === 'entity.parse.failed') {
    status = 400;
    id = 'invalid_json';
    message = 'The request body is not valid JSON.';
  } else if ((error as { type?: string }).type === 'entity.too.large') {
    status = 413;
    id = 'payload_too_large';
    message = 'The request body is too large.';
  } else {
    log.error({ reqId: req.id, err: (error as Error)?.stack ?? String(error) }, 'unhandled error');
  }
  if (res.headersSent) return;
  res.status(status).json({ error: id, message, requestId: req.id });
};
