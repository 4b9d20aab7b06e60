/** One recipient block of a delivery status notification (RFC 3464 §2.3). */
export interface RecipientStatus {
  /** The address the report is about (`Final-Recipient`, address type stripped), lowercased. */
  finalRecipient: string;
  originalRecipient?: string;
  /** `failed`, `delayed`, `delivered`, `relayed` or `expanded`. */
  action: string;
  /** Enhanced status code (RFC 3463), e.g. `5.1.1`. */
  status: string;
  diagnosticCode?: string;
  remoteMta?: string;
}

/** What Keepup needs from a bounce: where it was addressed and the per-recipient results. */
export interface DeliveryStatusReport {
  /** Addresses the bounce itself was delivered to (To, Delivered-To, X-Original-To), where the VERP return path shows. */
  addressedTo: string[];
  reportingMta?: string;
  recipients: RecipientStatus[];
  /** Message-ID of the bounced message, from the returned message or its headers, without angle brackets. */
  originalMessageId?: string;
}

type Headers = Map<string, string[]>;

/** Splits an RFC 5322 entity into unfolded headers (lowercased names) and body. */
function splitEntity(text: string): { headers: Headers; body: string } {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const body = match ? text.slice(match.index + match[0].length) : '';
  return { headers: parseFields(head), body };
}

/** Header-style fields with continuation lines unfolded (RFC 5322 §2.2.3); repeated names keep every value. */
function parseFields(block: string): Headers {
  const headers: Headers = new Map();
  let name: string | undefined;
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && name) {
      const values = headers.get(name)!;
      values[values.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
}

const first = (headers: Headers, name: string) => headers.get(name)?.[0];

/** `type/subtype` and parameters of a Content-Type value. */
function contentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type, ...rest] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

function decode(body: string, encoding: string | undefined): string {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return body;
}

/** The parts of a multipart body (RFC 2046 §5.1.1): between `--boundary` lines, up to `--boundary--`. */
function multipartParts(body: string, boundary: string): string[] {
  const parts: string[] = [];
  let current: string[] | undefined;
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (trimmed === `--${boundary}--`) break;
    if (trimmed === `--${boundary}`) {
      if (current) parts.push(current.join('\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join('\n'));
  return parts;
}

const stripType = (value: string | undefined) => value?.replace(/^[^;]*;\s*/, '').replace(/^<|>$/g, '').trim();

function recipientStatus(fields: Headers): RecipientStatus | undefined {
  const finalRecipient = stripType(first(fields, 'final-recipient'))?.toLowerCase();
  const action = first(fields, 'action')?.toLowerCase();
  const status = first(fields, 'status')?.match(/[245]\.\d{1,3}\.\d{1,3}/)?.[0];
  if (!finalRecipient || !action || !status) return undefined;
  return {
    finalRecipient,
    originalRecipient: stripType(first(fields, 'original-recipient'))?.toLowerCase(),
    action,
    status,
    diagnosticCode: first(fields, 'diagnostic-code'),
    remoteMta: stripType(first(fields, 'remote-mta')),
  };
}

/**
 * Reads a bounce as MTAs send it (RFC 3464 in a `multipart/report; report-type=delivery-status`, RFC 6522; the
 * SMTPUTF8 `message/global-delivery-status` of RFC 6533 too): the per-recipient action and status, the
 * addresses the bounce was delivered to, and the returned message's Message-ID. Undefined for anything that is
 * not a delivery status report (auto-replies, spam).
 */
export function parseDeliveryStatusReport(raw: string | Buffer): DeliveryStatusReport | undefined {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  const top = splitEntity(text);
  const addressedTo = ['delivered-to', 'x-original-to', 'to']
    .flatMap((name) => top.headers.get(name) ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => (/<([^<>]+)>/.exec(value)?.[1] ?? value).trim().toLowerCase())
    .filter((value) => value.includes('@'));
  let report: DeliveryStatusReport | undefined;
  let originalMessageId: string | undefined;
  const visit = (entity: { headers: Headers; body: string }, depth: number) => {
    if (depth > 4) return;
    const ct = contentType(first(entity.headers, 'content-type'));
    if (ct.type.startsWith('multipart/') && ct.params.boundary) {
      for (const part of multipartParts(entity.body, ct.params.boundary)) visit(splitEntity(part), depth + 1);
      return;
    }
    const body = decode(entity.body, first(entity.headers, 'content-transfer-encoding'));
    if ((ct.type === 'message/delivery-status' || ct.type === 'message/global-delivery-status') && !report) {
      const groups = body.split(/\r?\n[ \t]*\r?\n/).map((g) => g.trim()).filter(Boolean).map(parseFields);
      const [perMessage, ...perRecipient] = groups;
      const recipients = perRecipient.map(recipientStatus).filter((r): r is RecipientStatus => r !== undefined);
      if (recipients.length) report = { addressedTo, reportingMta: stripType(first(perMessage ?? new Map(), 'reporting-mta')), recipients };
    } else if (ct.type === 'message/rfc822' || ct.type === 'text/rfc822-headers' || ct.type === 'message/global' || ct.type === 'message/global-headers') {
      const id = first(splitEntity(body).headers, 'message-id');
      if (id) originalMessageId ??= id.replace(/^<|>$/g, '').trim();
    }
  };
  visit(top, 0);
  return report && { ...report, originalMessageId };
}
