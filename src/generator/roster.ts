import type { Archetype } from './archetypes';
import { Prng } from './Prng';

/** One enrolled learner with every identifier the platforms and their event streams use. */
export interface RosterEntry {
  /** 0-based position in the roster (generation order). */
  index: number;
  /** Open edX numeric user id (`context.user_id` in tracking logs). */
  userId: number;
  /** Open edX username (`username` in tracking logs). */
  username: string;
  /** Open edX external anonymous id: the UUID event-routing-backends puts in the xAPI actor's `account.name`. */
  anonymousId: string;
  /** LTI 1.3 `sub` the platform sends at launch. */
  ltiSub: string;
  /** Canvas user id (Live Events `user_id`, REST `user_id`). */
  canvasUserId: number;
  firstName: string;
  lastName: string;
  name: string;
  email: string;
  /** IANA time zone the learner lives in (drives when they study). */
  timeZone: string;
  archetype: Archetype;
}

const FIRST = ['Ada', 'Amir', 'Ana', 'Bea', 'Chen', 'Dara', 'Diego', 'Elif', 'Emma', 'Farah', 'Femi', 'Grace', 'Hana', 'Ivan', 'Jia', 'Jonas', 'Kofi', 'Lena', 'Luca', 'Maya', 'Mei', 'Nadia', 'Noah', 'Omar', 'Priya', 'Rosa', 'Sam', 'Sofia', 'Tariq', 'Uma', 'Wei', 'Yara', 'Zoe'];
const LAST = ['Abebe', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kim', 'Lopez', 'Mensah', 'Novak', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Silva', 'Tanaka', 'Usman', 'Varga', 'Wang', 'Xu', 'Yilmaz', 'Zhang'];

/** Learner time zones and their share of enrolments (global MOOC audience). */
export const LEARNER_TIME_ZONES: Array<[string, number]> = [
  ['America/New_York', 0.18],
  ['America/Los_Angeles', 0.08],
  ['America/Sao_Paulo', 0.07],
  ['Europe/London', 0.08],
  ['Europe/Berlin', 0.1],
  ['Africa/Lagos', 0.06],
  ['Asia/Kolkata', 0.18],
  ['Asia/Shanghai', 0.15],
  ['Australia/Sydney', 0.04],
  ['UTC', 0.06],
];

/** Builds learner `index`'s identity; ids are unique within a course and stable per (seed, index). */
export function buildRosterEntry(random: Prng, index: number, archetype: Archetype): RosterEntry {
  const firstName = random.pick(FIRST);
  const lastName = random.pick(LAST);
  const username = `${firstName.toLowerCase()}_${lastName.toLowerCase()}${index}`;
  return {
    index,
    userId: 10_000 + index,
    username,
    anonymousId: random.uuid(),
    ltiSub: random.uuid(),
    canvasUserId: 200_000 + index,
    firstName,
    lastName,
    name: `${firstName} ${lastName}`,
    email: `${username}@learners.keepup.test`,
    timeZone: LEARNER_TIME_ZONES[random.weighted(LEARNER_TIME_ZONES.map(([, w]) => w))][0],
    archetype,
  };
}

const offsetCache = new Map<string, number>();

/** UTC offset of a time zone in minutes at `at` (cached per zone and month). */
export function utcOffsetMinutes(timeZone: string, at: number): number {
  const key = `${timeZone}@${Math.floor(at / 2_592_000_000)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  const offset = Math.round((local - Math.floor(at / 60_000) * 60_000) / 60_000);
  offsetCache.set(key, offset);
  return offset;
}
