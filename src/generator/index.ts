/** The synthetic course generator's public API (see docs/generator.md). */
export { generateCourse } from './generateCourse';
export type { GeneratedCourseSummary, GenerateHooks } from './generateCourse';
export { buildCoursePlan, generateLearner, iterateLearners, isTreated } from './coursePlan';
export type { CoursePlan, GeneratedLearner } from './coursePlan';
export { iterateLearnerRecords, trackingLogLines, writeTrackingLog } from './streamEvents';
export type { StreamOptions, LearnerRecords } from './streamEvents';
export { resolveOptions, generateOptionsSchema } from './options';
export type { GenerateOptions, PlantedEffectOptions } from './options';
export { ARCHETYPES, ARCHETYPE_PROFILES } from './archetypes';
export type { Archetype } from './archetypes';
export { DESIGN_PRESETS, designHazardMultiplier } from './designPresets';
export type { CourseDesign, DesignPresetName } from './designPresets';
export { TRACKING_EVENT_CATEGORIES, trackingEventCategory } from './eventCatalog';
export { DROPOUT_WINDOW_DAYS, dropoutCutoff } from './outcomes';
export type { LearnerTruth } from './outcomes';
export type { DailyTruthRow } from './DailyTruth';
export type { RosterEntry } from './roster';
export { Prng } from './Prng';
