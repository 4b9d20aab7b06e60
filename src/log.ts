import pino from 'pino';

/**
 * Request fields that carry credentials (LTI session bearer tokens, admin cookies, inbound data-connection
 * secrets). pino-http serializes every request's headers, so they are censored before a line is written.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** Options of the shared logger (exported so tests can build the same logger over their own stream). */
export const logOptions: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
};

/** Structured JSON logger shared by every process; level from LOG_LEVEL. */
export const log = pino(logOptions);

export type Logger = typeof log;
