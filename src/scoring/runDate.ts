import { dayNumber } from '../domain/activity';
import { ValidationError } from '../errors';

const RUN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar date (`YYYY-MM-DD`) of an instant in an IANA time zone. */
export function runDateAt(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Validates a run date given by a person or a job (`YYYY-MM-DD`, a real calendar date). */
export function parseRunDate(value: string): string {
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (!RUN_DATE.test(value) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw ValidationError(`run date must be a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/** The last day of activity a run reads: the day before its run date (the last complete day), as a UTC day number. */
export function asOfDayOf(runDate: string): number {
  return dayNumber(Date.parse(`${parseRunDate(runDate)}T00:00:00Z`)) - 1;
}
