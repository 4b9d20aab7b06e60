import mongoose, { Schema } from 'mongoose';

/**
 * A course's structure as the platform reports it (Open edX course blocks): one document per block
 * with its type, name, due date, whether it is graded, its assignment format and parent block.
 */
const courseBlockSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Course `_id` (hex). */
    c: { type: String, required: true },
    blockId: { type: String, required: true },
    type: { type: String, required: true },
    name: { type: String, default: '' },
    due: { type: Date, default: null },
    graded: { type: Boolean, default: false },
    format: { type: String, default: null },
    parent: { type: String, default: null },
    at: { type: Date, default: () => new Date() },
  },
  { collection: 'course_blocks', versionKey: false, _id: false },
);
courseBlockSchema.index({ c: 1 });

export const CourseBlock = mongoose.model('CourseBlock', courseBlockSchema);

export interface CourseBlockInput {
  id: string;
  type: string;
  name: string;
  due: Date | null;
  graded: boolean;
  format: string | null;
  parent: string | null;
}

/** Replaces a course's stored structure with the blocks just pulled. */
export async function storeCourseBlocks(courseId: string, blocks: CourseBlockInput[]): Promise<void> {
  await CourseBlock.collection.deleteMany({ c: courseId });
  for (let i = 0; i < blocks.length; i += 2000) {
    await CourseBlock.collection.insertMany(
      blocks.slice(i, i + 2000).map((b) => ({ _id: `${courseId}|${b.id}`, c: courseId, blockId: b.id, type: b.type, name: b.name, due: b.due, graded: b.graded, format: b.format, parent: b.parent, at: new Date() })) as never[],
      { ordered: false },
    );
  }
}
