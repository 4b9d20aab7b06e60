import type { Types } from 'mongoose';
import { canvasSenderFor } from './canvasAuth/canvasSenderTokens';
import type { CanvasInboxClient } from './channels/CanvasInboxClient';
import { SmtpChannel } from './channels/SmtpChannel';
import { DEFAULT_CAP, FrequencyCap } from './frequencyCap';

/** Where delivery sends things and the limits it applies; built from the environment unless configured. */
export interface DeliveryRuntime {
  /** Email channel; undefined when SMTP_URL is not set (email rows then wait and retry). */
  smtp?: SmtpChannel;
  /** Canvas Inbox client for a course (the sending instructor's stored token, else the course's latest), or undefined. */
  canvasFor(courseId: Types.ObjectId, senderSub?: string): Promise<{ client: CanvasInboxClient; contextCode: string } | undefined>;
  /** Base URL for unsubscribe links. */
  publicUrl: string;
  /** Keepup's own sender address. */
  mailFrom: string;
  /** Domain for Message-IDs. */
  messageIdDomain: string;
  /** Domain of the VERP return paths late bounces come back to. */
  bounceDomain: string;
  /** How long a sender owns a claimed row, ms. */
  leaseMs: number;
  cap: FrequencyCap;
  now(): Date;
}

let runtime: DeliveryRuntime | undefined;

/** Canvas clients from the sealed per-course instructor tokens (refreshed when they expire). */
export const canvasFromStoredToken = canvasSenderFor;

/** The bare address of MAIL_FROM, which may be `keepup@uni.edu` or `Keepup <keepup@uni.edu>` (the display name is Keepup's own). */
export function mailFromAddress(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  return /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(trimmed)?.[1] ?? trimmed;
}

/** Builds the runtime from SMTP_URL, PUBLIC_URL and MAIL_FROM. */
export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryRuntime {
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, '');
  const mailFrom = mailFromAddress(env.MAIL_FROM) ?? `keepup@${new URL(publicUrl).hostname}`;
  return {
    smtp: env.SMTP_URL ? new SmtpChannel({ url: env.SMTP_URL }) : undefined,
    canvasFor: canvasFromStoredToken,
    publicUrl,
    mailFrom,
    messageIdDomain: mailFrom.split('@')[1] || 'keepup.local',
    bounceDomain: env.BOUNCE_DOMAIN || mailFrom.split('@')[1] || 'keepup.local',
    leaseMs: Number(env.KEEPUP_OUTBOX_LEASE_MS) || 20_000,
    cap: DEFAULT_CAP,
    now: () => new Date(),
  };
}

/** The process's delivery runtime (created from the environment on first use). */
export function deliveryRuntime(): DeliveryRuntime {
  return (runtime ??= runtimeFromEnv());
}

/** Replaces the runtime (tests, embedded workers); pass undefined to go back to the environment. */
export function configureDelivery(next: Partial<DeliveryRuntime> | undefined): void {
  runtime?.smtp?.close();
  runtime = next ? { ...runtimeFromEnv(), ...next } : undefined;
}
