import { courseTable, flatNames, stepSize, type LearnerInput, type TableSpec } from '../features/featureTable';
import type { Window } from '../features/channels';

/** A labelled (or unlabelled) set of learners as model inputs, possibly from many courses. */
export interface ModelData {
  rows: number;
  /** `rows × width` flat feature vectors. */
  flat: Float32Array;
  width: number;
  /** `rows × steps × stepSize` activity sequences. */
  sequence: Float32Array;
  steps: number;
  stepSize: number;
  /** 0/1 labels (NaN where unknown). */
  labels: Float32Array;
  /** Course id of each row, for per-course metrics and course-grouped splits. */
  courses: string[];
}

/** One course to turn into model inputs. */
export interface CourseInput {
  courseId: string;
  window: Window;
  learners: (LearnerInput & { label?: number })[];
}

/** Builds model inputs for several courses; context statistics are computed within each course. */
export function buildModelData(courses: readonly CourseInput[], spec: TableSpec): ModelData {
  const width = flatNames(spec).length;
  const size = stepSize(spec);
  const tables = courses.map((c) => courseTable(c.learners, c.window, spec));
  const rows = tables.reduce((s, t) => s + t.rows, 0);
  const data: ModelData = {
    rows,
    flat: new Float32Array(rows * width),
    width,
    sequence: new Float32Array(rows * spec.steps * size),
    steps: spec.steps,
    stepSize: size,
    labels: new Float32Array(rows),
    courses: [],
  };
  let offset = 0;
  tables.forEach((table, c) => {
    data.flat.set(table.flat, offset * width);
    data.sequence.set(table.sequence, offset * spec.steps * size);
    courses[c].learners.forEach((learner, i) => {
      data.labels[offset + i] = learner.label ?? NaN;
      data.courses.push(courses[c].courseId);
    });
    offset += table.rows;
  });
  return data;
}

/** The rows of a data set at the given indices, in that order. */
export function selectRows(data: ModelData, indices: ArrayLike<number>): ModelData {
  const seqWidth = data.steps * data.stepSize;
  const out: ModelData = {
    ...data,
    rows: indices.length,
    flat: new Float32Array(indices.length * data.width),
    sequence: new Float32Array(indices.length * seqWidth),
    labels: new Float32Array(indices.length),
    courses: [],
  };
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    out.flat.set(data.flat.subarray(i * data.width, (i + 1) * data.width), k * data.width);
    out.sequence.set(data.sequence.subarray(i * seqWidth, (i + 1) * seqWidth), k * seqWidth);
    out.labels[k] = data.labels[i];
    out.courses.push(data.courses[i]);
  }
  return out;
}

/** The rows belonging to the given courses. */
export function selectCourses(data: ModelData, courseIds: readonly string[]): ModelData {
  const wanted = new Set(courseIds);
  const indices: number[] = [];
  data.courses.forEach((c, i) => wanted.has(c) && indices.push(i));
  return selectRows(data, indices);
}

/** Distinct course ids in order of first appearance. */
export function courseIds(data: ModelData): string[] {
  return [...new Set(data.courses)];
}
