import type { CourseOutline } from './courseOutline';

/** The design features a course team controls, in model column order. */
export const DESIGN_FEATURES = ['videoShare', 'gradedShare', 'assessmentsPerUnit', 'interactiveShare', 'weeks', 'deadlinesPerWeek', 'certificateOffered'] as const;
export type DesignFeature = (typeof DESIGN_FEATURES)[number];
export type DesignVector = Record<DesignFeature, number>;

/** Plain words and slider ranges per feature. */
export const FEATURE_INFO: Record<DesignFeature, { label: string; unit: string; min: number; max: number; step: number }> = {
  videoShare: { label: 'Units with a video', unit: 'share', min: 0, max: 1, step: 0.05 },
  gradedShare: { label: 'Assessments that are graded', unit: 'share', min: 0, max: 1, step: 0.05 },
  assessmentsPerUnit: { label: 'Assessments per unit', unit: 'count', min: 0, max: 5, step: 0.1 },
  interactiveShare: { label: 'Units with an interactive element', unit: 'share', min: 0, max: 1, step: 0.05 },
  weeks: { label: 'Course length', unit: 'weeks', min: 1, max: 26, step: 1 },
  deadlinesPerWeek: { label: 'Deadlines per week', unit: 'count', min: 0, max: 2, step: 0.05 },
  certificateOffered: { label: 'Certificate offered', unit: 'yes/no', min: 0, max: 1, step: 1 },
};

/** Computes a course's design features from its outline, length and certificate offer. */
export function designFeatures(outline: CourseOutline, course: { weeks: number; certificateOffered: boolean }): DesignVector {
  const units = outline.units.length;
  if (units === 0) throw new Error('the course outline has no units');
  const graded = outline.units.reduce((n, u) => n + u.graded, 0);
  const practice = outline.units.reduce((n, u) => n + u.practice, 0);
  const dueDays = new Set(outline.units.filter((u) => u.dueAt !== undefined).map((u) => Math.floor(u.dueAt! / 86_400_000)));
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    videoShare: round(outline.units.filter((u) => u.hasVideo).length / units),
    gradedShare: round(graded + practice > 0 ? graded / (graded + practice) : 0),
    assessmentsPerUnit: round((graded + practice) / units),
    interactiveShare: round(outline.units.filter((u) => u.interactive).length / units),
    weeks: course.weeks,
    deadlinesPerWeek: round(dueDays.size / Math.max(1, course.weeks)),
    certificateOffered: course.certificateOffered ? 1 : 0,
  };
}
