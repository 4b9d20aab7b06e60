import type { RejectReason } from '../importStats';

/** Earliest event time accepted (Open edX's first courses ran in 2012; KDD data starts 2013). */
const MIN_TIME = Date.UTC(2005, 0, 1);
/** Events may be at most this far in the future (clock skew). */
const MAX_FUTURE_MS = 24 * 3600_000;

/** A mapper's answer: the event, or why the record was rejected. */
export type MapResult<T> = { ok: true; event: T } | { ok: false; reason: RejectReason; detail?: string };

export function rejected(reason: RejectReason, detail?: string): { ok: false; reason: RejectReason; detail?: string } {
  return { ok: false, reason, detail };
}

/** Parses an event time; undefined when missing, unparseable or impossible (before 2005 or more than a day ahead). */
export function parseEventTime(value: unknown, now = Date.now()): Date | undefined {
  let ms: number;
  if (typeof value === 'string') ms = Date.parse(value);
  else if (typeof value === 'number') ms = value < 1e11 ? value * 1000 : value;
  else return undefined;
  if (!Number.isFinite(ms) || ms < MIN_TIME || ms > now + MAX_FUTURE_MS) return undefined;
  return new Date(ms);
}

/** Seconds from an ISO 8601 duration (`PT1M2.5S`) or a number. */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const match = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!match) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

/** A finite number from a number or numeric string. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A non-empty string (numbers are converted), else undefined. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Open edX course key inside any text (URL, block id): `course-v1:Org+Num+Run` or legacy `Org/Num/Run` after /courses/. */
export function courseKeyIn(text: string): string | undefined {
  const v1 = /course-v1:[^/?#\s]+?(?=\+type@|\/|$|\?|#|\s)/.exec(text);
  if (v1) return v1[0];
  const block = /block-v1:([^+/]+)\+([^+/]+)\+([^+/]+)\+type@/.exec(text);
  if (block) return `course-v1:${block[1]}+${block[2]}+${block[3]}`;
  const legacy = /\/courses\/([^/]+\/[^/]+\/[^/]+)(?:\/|$)/.exec(text);
  return legacy ? legacy[1] : undefined;
}

/** The local id of a Canvas global id (`shard * 10^13 + local`), as a string. */
export function canvasLocalId(id: unknown): string | undefined {
  const text = str(id);
  if (!text || !/^\d+$/.test(text)) return text;
  return text.length > 13 ? String(BigInt(text) % 10_000_000_000_000n) : text;
}
