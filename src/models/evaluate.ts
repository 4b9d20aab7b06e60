import { auc, score, type Scores } from './metrics';
import { courseIds, type ModelData } from './ModelData';
import type { Predictor } from './Predictor';

/** Figures of a predictor on labelled held-out data: pooled metrics plus the per-course AUC mean. */
export interface EvaluationScores extends Scores {
  aucMeanPerCourse: number;
  perCourse: { courseId: string; rows: number; auc: number }[];
}

/** Pooled and per-course metrics of calibrated probabilities against labels. */
export function evaluateProbabilities(probs: ArrayLike<number>, data: ModelData): EvaluationScores {
  const perCourse = courseIds(data).map((courseId) => {
    const p: number[] = [];
    const y: number[] = [];
    data.courses.forEach((c, i) => {
      if (c === courseId) {
        p.push(probs[i]);
        y.push(data.labels[i]);
      }
    });
    return { courseId, rows: p.length, auc: auc(p, y) };
  });
  const defined = perCourse.filter((c) => !Number.isNaN(c.auc));
  return {
    ...score(probs, data.labels),
    aucMeanPerCourse: defined.reduce((s, c) => s + c.auc, 0) / Math.max(1, defined.length),
    perCourse,
  };
}

/** Scores a predictor on labelled data. */
export async function evaluatePredictor(predictor: Predictor, data: ModelData): Promise<EvaluationScores> {
  return evaluateProbabilities(await predictor.predict(data), data);
}
