/**
 * LTI role vocabulary (LTI 1.3 Core §A.2). Platforms send full URIs
 * (`http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor`), sub-roles
 * (`...membership/Instructor#TeachingAssistant`), institution/system roles, or (deprecated but common)
 * short names (`Instructor`). Keepup only needs to know who sees the instructor dashboard.
 */
export type KeepupRole = 'instructor' | 'learner';

/** Role names (the part after `#`, or the short name) that open the instructor dashboard. */
const INSTRUCTOR_NAMES = new Set(['Instructor', 'TeachingAssistant', 'ContentDeveloper', 'Administrator', 'SysAdmin', 'Faculty']);

/** The bare role name of one role value: `…membership#Instructor` → `Instructor`, `…Instructor#TeachingAssistant` → `TeachingAssistant`. */
export function roleName(role: string): string {
  const hash = role.lastIndexOf('#');
  if (hash >= 0) return role.slice(hash + 1);
  const slash = role.lastIndexOf('/');
  return slash >= 0 ? role.slice(slash + 1) : role;
}

/**
 * Instructors, TAs, content developers and administrators (context, institution or system roles, full or
 * short names) get the instructor view; everyone else (learners, mentors, guests, unknown roles, no role) the learner view.
 */
export function keepupRole(roles: readonly string[]): KeepupRole {
  return roles.some((r) => INSTRUCTOR_NAMES.has(roleName(r))) ? 'instructor' : 'learner';
}
