import crypto from 'node:crypto';

export type Flavour = 'canvas' | 'openedx' | 'moodle';
export const FLAVOURS: Flavour[] = ['canvas', 'openedx', 'moodle'];

/** A person on a simulated platform. PII fields are shared only when the platform's settings allow. */
export interface SimUser {
  key: string;
  /** LTI `sub`: Canvas opaque id, Open edX anonymous user id, Moodle numeric user id. */
  sub: string;
  role: 'instructor' | 'ta' | 'learner' | 'admin';
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  username: string;
  /** Platform's numeric user id (Canvas user id, Open edX user id, Moodle id). */
  platformUserId: string;
  timeZone: string;
  status: 'Active' | 'Inactive';
}

export interface SimCourse {
  contextId: string;
  /** Canvas numeric course id (REST API id). */
  platformCourseId: string;
  title: string;
  label: string;
  resourceLinks: Array<{ id: string; title: string; custom?: Record<string, string> }>;
  users: SimUser[];
}

const GIVEN = ['Ada', 'Lin', 'Sam', 'Noor', 'Ravi', 'Mia', 'Jon', 'Eva', 'Kofi', 'Yuki', 'Ana', 'Omar'];
const FAMILY = ['Lovelace', 'Chen', 'Okafor', 'Haddad', 'Patel', 'Novak', 'Silva', 'Berg', 'Mensah', 'Sato'];
const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'America/Los_Angeles', 'Africa/Lagos'];

function subFor(flavour: Flavour, n: number): string {
  const digest = crypto.createHash('sha1').update(`${flavour}:${n}`).digest('hex');
  if (flavour === 'moodle') return String(100 + n);
  if (flavour === 'openedx') return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  return digest.slice(0, 40);
}

/**
 * The seeded course of a flavour: an instructor (`instructor`), a TA (`ta`), a learner with full PII
 * (`learner`), one sharing only an email (`email-only`), one sharing only names (`names-only`), one sharing
 * nothing (`anonymous`), and `extraLearners` more so NRPS needs several pages.
 */
export function seedCourse(flavour: Flavour, extraLearners = 45): SimCourse {
  const users: SimUser[] = [];
  const add = (key: string, role: SimUser['role'], n: number, pii: 'full' | 'email' | 'names' | 'none') => {
    const given = GIVEN[n % GIVEN.length];
    const family = FAMILY[n % FAMILY.length];
    users.push({
      key,
      sub: subFor(flavour, n),
      role,
      username: `${given.toLowerCase()}${n}`,
      platformUserId: String(500 + n),
      timeZone: ZONES[n % ZONES.length],
      status: 'Active',
      ...(pii === 'full' || pii === 'names' ? { name: `${given} ${family}`, givenName: given, familyName: family } : {}),
      ...(pii === 'full' || pii === 'email' ? { email: `${given.toLowerCase()}.${family.toLowerCase()}${n}@example.edu` } : {}),
    });
  };
  add('instructor', 'instructor', 0, 'full');
  add('ta', 'ta', 1, 'full');
  add('learner', 'learner', 2, 'full');
  add('email-only', 'learner', 3, 'email');
  add('names-only', 'learner', 4, 'names');
  add('anonymous', 'learner', 5, 'none');
  for (let i = 0; i < extraLearners; i++) add(`learner-${i + 1}`, 'learner', 10 + i, 'full');
  const contextId = flavour === 'openedx' ? 'course-v1:KeepupX+BIO101+2024_T1' : flavour === 'moodle' ? '7' : '4dde05e8ca1973bcca9bffc13e1548820eee93a3';
  return {
    contextId,
    platformCourseId: flavour === 'canvas' ? '1234' : flavour === 'moodle' ? '7' : contextId,
    title: 'Biology 101: Cells and Systems',
    label: 'BIO101',
    resourceLinks: [
      { id: `${flavour}-dashboard-link`, title: 'Keepup' },
      { id: `${flavour}-widget-link`, title: 'Keepup nudges', custom: { keepup_placement: 'widget' } },
      { id: `${flavour}-video-link`, title: 'Keepup nudge beside the video', custom: { keepup_placement: 'video' } },
    ],
    users,
  };
}
