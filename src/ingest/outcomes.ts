import { LearnerOutcome } from '../storage/models/LearnerOutcome';

export type OutcomeName = 'passed' | 'grade' | 'certificate' | 'completion' | 'dropout';

/** Stores the latest value of one outcome for many learners of a course (one replace per learner, in bulk). */
export async function storeOutcomes(courseId: string, outcome: OutcomeName, source: string, values: Array<{ ref: string; value: number; at?: Date }>): Promise<void> {
  for (let i = 0; i < values.length; i += 2000) {
    await LearnerOutcome.collection.bulkWrite(
      values.slice(i, i + 2000).map(({ ref, value, at }) => ({
        replaceOne: {
          filter: { _id: `${courseId}|${ref}|${outcome}` as never },
          replacement: { c: courseId, l: ref, outcome, value, source, at: at ?? new Date() },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
}

/** Every stored outcome of a course as a map learner reference → value. */
export async function readOutcomes(courseId: string, outcome: OutcomeName): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const doc of LearnerOutcome.collection.find({ c: courseId, outcome })) out.set(String(doc.l), Number(doc.value));
  return out;
}
