import { CourseDesign } from '../../storage/models/CourseDesign';
import type { CourseOutline } from './courseOutline';
import { designFeatures } from './designFeatures';

/**
 * Stores a course's outline and design features (called when the structure is pulled from Open edX
 * course blocks or Canvas modules, or imported). Completion figures are kept; the insights
 * computation fills them from outcomes.
 */
export async function saveCourseDesign(courseId: string, outline: CourseOutline, meta: { title: string; weeks: number; certificateOffered: boolean }): Promise<void> {
  const features = designFeatures(outline, meta);
  await CourseDesign.updateOne(
    { _id: courseId },
    { $set: { title: meta.title, source: outline.source, sections: outline.sections, units: outline.units, weeks: meta.weeks, certificateOffered: meta.certificateOffered, features, updatedAt: new Date() } },
    { upsert: true },
  );
}
