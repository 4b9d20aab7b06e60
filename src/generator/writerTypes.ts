import { createHash } from 'node:crypto';
import type { RecordContribution } from './DailyTruth';
import type { RosterEntry } from './roster';
import type { SimEvent } from './simEvents';

/** A learner as the record writers see them: identity plus the device they use. */
export interface WriterLearner {
  entry: RosterEntry;
  ip: string;
  agent: string;
}

/** One written record: its text line and, when it counts toward the learner's activity, its contribution. */
export interface RenderedRecord {
  line: string;
  contribution?: RecordContribution;
}

/** Turns simulated actions into one platform format's records (zero or one record per action). */
export interface RecordRenderer {
  render(event: SimEvent, learner: WriterLearner): RenderedRecord | undefined;
}

let cachedMinute = -1;
let cachedPrefix = '';

/** Tracking-log style time: ISO 8601 with microseconds and an explicit +00:00 offset. */
export function isoMicros(t: number): string {
  const minute = Math.floor(t / 60_000);
  if (minute !== cachedMinute) {
    cachedMinute = minute;
    cachedPrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
  }
  const ms = t - minute * 60_000;
  const micros = ((t % 100_000) * 7919) % 1000;
  return `${cachedPrefix}${String(Math.floor(ms / 1000)).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}${String(micros).padStart(3, '0')}+00:00`;
}

/** A version-5 style UUID (SHA-1 of the name), as event-routing-backends derives statement ids. */
export function nameBasedUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
