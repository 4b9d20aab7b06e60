import type { Request, Response } from 'express';
import { LaunchError } from '../../../../lti/LaunchError';
import { RegistrationError } from '../../../../lti/registration/dynamicRegistration';
import { KeepupError } from '../../../errors';
import { log } from '../../../log';

/** Renders a plain error page (`views/lti/error.hbs`) saying what failed and what an admin should check; never a stack trace. */
export function renderLtiError(req: Request, res: Response, error: unknown): void {
  let status = 500;
  let code = 'internal_error';
  let message = 'Keepup could not complete this request.';
  let adminHint = 'Keepup logged the details under the request id below; an administrator can look it up in the server logs.';
  if (error instanceof LaunchError) {
    ({ status, code, message, adminHint } = error);
    log.info({ reqId: req.id, code, message }, 'LTI launch refused');
  } else if (error instanceof RegistrationError) {
    status = 400;
    code = 'registration_failed';
    message = error.message;
    adminHint = 'Check the platform\'s registration settings and try the registration again.';
  } else if (error instanceof KeepupError) {
    ({ status, message } = error);
    code = error.id;
    adminHint = '';
  } else {
    log.error({ reqId: req.id, err: (error as Error)?.stack ?? String(error) }, 'LTI request failed');
  }
  if (res.headersSent) return;
  res.status(status).render('lti/error', { title: 'Keepup could not open', code, message, adminHint, requestId: req.id });
}
