import type { Flavour, SimCourse, SimUser } from './directory';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const INSTITUTION = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';
const SYSTEM = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#';

/** Role URIs each platform sends for a kind of user (Open edX sends institution roles only, as xblock-lti-consumer does). */
export function rolesFor(flavour: Flavour, role: SimUser['role']): string[] {
  if (flavour === 'openedx') {
    return {
      admin: [`${SYSTEM}Administrator`, `${INSTITUTION}Instructor`, `${INSTITUTION}Student`],
      instructor: [`${INSTITUTION}Instructor`, `${INSTITUTION}Student`],
      ta: [`${INSTITUTION}Instructor`, `${INSTITUTION}Student`],
      learner: [`${INSTITUTION}Student`],
    }[role];
  }
  if (flavour === 'canvas') {
    return {
      admin: [`${INSTITUTION}Administrator`, `${MEMBERSHIP}Instructor`, `${SYSTEM}User`],
      instructor: [`${INSTITUTION}Instructor`, `${MEMBERSHIP}Instructor`, `${SYSTEM}User`],
      ta: [`${MEMBERSHIP}Instructor#TeachingAssistant`, `${INSTITUTION}Student`, `${SYSTEM}User`],
      learner: [`${INSTITUTION}Student`, `${MEMBERSHIP}Learner`, `${SYSTEM}User`],
    }[role];
  }
  return {
    admin: [`${INSTITUTION}Administrator`, `${MEMBERSHIP}Instructor`],
    instructor: [`${MEMBERSHIP}Instructor`],
    ta: [`${MEMBERSHIP}Instructor#TeachingAssistant`],
    learner: [`${MEMBERSHIP}Learner`],
  }[role];
}

/** Substitutes the platform's custom variables (Canvas `$Canvas.user.id`, `$Person.address.timezone`, …); unknown ones stay literal, as Canvas leaves them. */
export function substituteCustom(flavour: Flavour, fields: Record<string, string>, user: SimUser, course: SimCourse): Record<string, string> {
  const vars: Record<string, string> =
    flavour === 'canvas'
      ? { '$Canvas.user.id': user.platformUserId, '$Canvas.course.id': course.platformCourseId, '$Person.address.timezone': user.timeZone, '$Canvas.user.loginId': user.username }
      : flavour === 'moodle'
        ? { '$User.id': user.platformUserId, '$User.username': user.username, '$CourseSection.sourcedId': course.platformCourseId }
        : {};
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v in vars ? vars[v] : v]));
}

/** Person claims a platform shares for a user (only the fields the user's privacy settings allow). */
export function personClaims(flavour: Flavour, user: SimUser): Record<string, string> {
  const claims: Record<string, string> = {};
  if (user.name) claims.name = user.name;
  if (user.givenName) claims.given_name = user.givenName;
  if (user.familyName) claims.family_name = user.familyName;
  if (user.email) claims.email = user.email;
  if (flavour === 'openedx' && (user.name || user.email)) claims.preferred_username = user.username;
  return claims;
}

/** Platform-specific extra claims: Canvas placement and lis ids, Moodle's ext claim, Open edX none. */
export function flavourClaims(flavour: Flavour, user: SimUser, course: SimCourse): Record<string, unknown> {
  if (flavour === 'canvas') {
    return {
      'https://www.instructure.com/placement': 'course_navigation',
      [`${LTI}lis`]: { person_sourcedid: null, course_offering_sourcedid: null },
    };
  }
  if (flavour === 'moodle') {
    return {
      [`${LTI}ext`]: { user_username: user.username, lms: 'moodle-2' },
      [`${LTI}lis`]: { person_sourcedid: '', course_section_sourcedid: course.platformCourseId },
    };
  }
  return {};
}

export const TOOL_PLATFORM: Record<Flavour, { name: string; product_family_code: string; version: string }> = {
  canvas: { name: 'Canvas (simulated)', product_family_code: 'canvas', version: 'cloud' },
  openedx: { name: 'Open edX (simulated)', product_family_code: 'openedx', version: 'redwood' },
  moodle: { name: 'Moodle (simulated)', product_family_code: 'moodle', version: '4.4' },
};
