import mongoose, { Schema } from 'mongoose';

/**
 * One course's design as the course-level engagement model sees it (`_id` = Course `_id` hex): the
 * normalized outline (from Open edX course blocks or Canvas modules), the design features, and its
 * completion once known. Every course of the installation with known completion is a row of the model.
 */
const unitSchema = new Schema(
  {
    id: String,
    title: String,
    section: Number,
    hasVideo: Boolean,
    graded: Number,
    practice: Number,
    interactive: Boolean,
    dueAt: Number,
  },
  { _id: false },
);

const courseDesignSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, default: '' },
    source: { type: String, enum: ['openedx-blocks', 'canvas-modules'], required: true },
    sections: { type: [String], default: [] },
    units: { type: [unitSchema], default: [] },
    weeks: { type: Number, required: true },
    certificateOffered: { type: Boolean, required: true },
    features: { type: Schema.Types.Mixed, required: true },
    /** Learners with a known completion outcome, and how many completed (null until outcomes exist). */
    learners: { type: Number, default: null },
    completed: { type: Number, default: null },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { collection: 'course_designs', versionKey: false, _id: false, minimize: false },
);

export const CourseDesign = mongoose.model('CourseDesign', courseDesignSchema);
