import { simpleParser } from 'mailparser';
import mongoose, { Connection } from 'mongoose';
import { SMTPServer } from 'smtp-server';

/** One message as a mailbox stores it. */
export interface SinkMessage {
  messageId: string;
  envelopeTo: string[];
  from: string;
  to: string;
  replyTo: string;
  subject: string;
  text: string;
  html: string;
  listUnsubscribe: string;
  listUnsubscribePost: string;
  receivedAt: Date;
}

export interface SmtpSinkOptions {
  /** Port; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** When set, every stored message is also written to the `demo_inbox` collection of this database (the demo inbox page reads it). */
  mongoUri?: string;
  /** Recipients to refuse with 550 (bounce tests). */
  reject?: (address: string) => boolean;
}

export interface RunningSmtpSink {
  port: number;
  /** `smtp://host:port` for SMTP_URL. */
  url: string;
  /** Stored messages, one per Message-ID (as a mailbox keeps them). */
  messages: SinkMessage[];
  /** Every DATA transaction accepted, duplicates included. */
  deliveries(): number;
  /** Resolves when at least `count` messages are stored (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP listener (smtp-server) that parses and stores what it receives: the demo's local mail sink and
 * the test suites' receiving end. Messages are keyed by Message-ID like a mailbox, so a retried delivery of
 * the same message is stored once; `deliveries()` counts raw transactions.
 */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<RunningSmtpSink> {
  const messages: SinkMessage[] = [];
  const seen = new Set<string>();
  let deliveries = 0;
  let db: Connection | undefined;
  if (options.mongoUri) db = await mongoose.createConnection(options.mongoUri).asPromise();
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 5 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (options.reject?.(address.address)) {
        const error = new Error('5.1.1 Recipient address rejected: user unknown') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          deliveries++;
          const header = (name: string) => {
            const line = mail.headerLines.find((h) => h.key === name)?.line ?? '';
            return line.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
          };
          const message: SinkMessage = {
            messageId: mail.messageId ?? `no-id-${deliveries}`,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            from: mail.from?.text ?? '',
            to: Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(', ') : (mail.to?.text ?? ''),
            replyTo: mail.replyTo?.text ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            listUnsubscribe: header('list-unsubscribe'),
            listUnsubscribePost: header('list-unsubscribe-post'),
            receivedAt: new Date(),
          };
          if (!seen.has(message.messageId)) {
            seen.add(message.messageId);
            messages.push(message);
            if (db) await db.collection('demo_inbox').updateOne({ messageId: message.messageId }, { $setOnInsert: message }, { upsert: true });
            waiters.splice(0).forEach((w) => w());
          }
          callback(null, `Message queued as ${message.messageId}`);
        })
        .catch((error: Error) => callback(error));
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://${host}:${port}`,
    messages,
    deliveries: () => deliveries,
    async waitFor(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`SMTP sink has ${messages.length} of ${count} messages after ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 500));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db?.close();
    },
  };
}
