import nodemailer, { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { DeliveryError } from './DeliveryError';

/** One email ready for the wire. */
export interface OutgoingEmail {
  to: { name?: string; address: string };
  from: { name: string; address: string };
  replyTo?: { name?: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** RFC 5322 Message-ID without angle brackets, derived from the outbox row so retries reuse it. */
  messageId: string;
  /** HTTPS (or local HTTP) URL accepting RFC 8058 one-click POSTs. */
  unsubscribeUrl: string;
  /** Envelope sender (becomes Return-Path): where late bounces go. Default: the From address. */
  returnPath?: string;
}

export interface SmtpChannelOptions {
  /** `smtp://` or `smtps://` URL, credentials in the URL when needed. */
  url: string;
  /** Pooled connections. Default 4. */
  maxConnections?: number;
}

/** Sends email through an SMTP relay with nodemailer: List-Unsubscribe headers, stable Message-IDs, classified errors. */
export class SmtpChannel {
  private readonly transport: Transporter<SMTPPool.SentMessageInfo>;

  constructor(options: SmtpChannelOptions) {
    if (!/^smtps?:\/\//.test(options.url)) throw new Error('SmtpChannel requires an smtp:// or smtps:// URL');
    const url = new URL(options.url);
    this.transport = nodemailer.createTransport({
      pool: true,
      host: url.hostname,
      port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
      secure: url.protocol === 'smtps:',
      ignoreTLS: url.searchParams.get('tls') === 'off',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      maxConnections: options.maxConnections ?? 4,
      connectionTimeout: 10_000,
      socketTimeout: 30_000,
    } as SMTPPool.Options);
  }

  /** Sends one message; resolves with the Message-ID, throws DeliveryError. */
  async send(email: OutgoingEmail): Promise<string> {
    try {
      await this.transport.sendMail({
        to: email.to,
        from: email.from,
        replyTo: email.replyTo,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: `<${email.messageId}>`,
        list: { unsubscribe: { url: email.unsubscribeUrl, comment: 'Stop these messages' } },
        headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Auto-Submitted': 'auto-generated' },
        ...(email.returnPath ? { envelope: { from: email.returnPath, to: [email.to.address] } } : {}),
      });
      return email.messageId;
    } catch (error) {
      throw classifySmtpError(error as Error & { responseCode?: number; code?: string });
    }
  }

  /** Closes pooled connections. */
  close(): void {
    this.transport.close();
  }
}

/** 5xx replies are permanent (a refused recipient is a bounce); 4xx and connection trouble are transient. */
export function classifySmtpError(error: Error & { responseCode?: number; code?: string }): DeliveryError {
  const code = error.responseCode;
  if (code && code >= 500) {
    const bounced = error.code === 'EENVELOPE' || (code >= 550 && code <= 553);
    return new DeliveryError(`SMTP ${code}: ${error.message}`, true, bounced ? 'bounced' : 'rejected');
  }
  return new DeliveryError(`SMTP ${code ?? error.code ?? 'error'}: ${error.message}`, false, 'unavailable');
}
