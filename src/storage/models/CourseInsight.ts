import mongoose, { Schema } from 'mongoose';

/**
 * The latest computed insights of one course (`_id` = Course `_id` hex): engagement overview,
 * behaviour clusters and course design standing, as presented to instructors. Replaced after each
 * computation. Held as plain sub-documents; no arrays directly inside arrays (FerretDB), so the
 * heatmap is stored flat (7 x 24, Monday first).
 */
const courseInsightSchema = new Schema(
  {
    _id: { type: String, required: true },
    runDate: { type: String, required: true },
    asOfDay: { type: Number, required: true },
    computedAt: { type: Date, required: true },
    overview: { type: Schema.Types.Mixed, required: true },
    clusters: { type: Schema.Types.Mixed, required: true },
    design: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'course_insights', versionKey: false, _id: false, minimize: false },
);

export const CourseInsight = mongoose.model('CourseInsight', courseInsightSchema);
