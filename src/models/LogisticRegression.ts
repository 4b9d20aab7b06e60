import { tf } from './backend';
import type { ModelData } from './ModelData';
import { gatherColumns, NetworkModel } from './NetworkModel';
import { baseColumns, type TableSpec } from '../features/featureTable';

/**
 * The baseline: L2-regularised logistic regression on the learner's base features (the context and
 * course-level columns did not help a linear model on KDD and extrapolate badly from few courses, see docs/models.md).
 */
export class LogisticRegression extends NetworkModel {
  constructor(spec: TableSpec, settings: { l2?: number } = {}) {
    super('lr', spec, { l2: settings.l2 ?? 1e-4 });
  }

  protected defaults() {
    return { epochs: 40, learningRate: 0.01 };
  }

  protected build(_data: ModelData, seed: number): tf.LayersModel {
    return tf.sequential({
      layers: [
        tf.layers.dense({
          units: 1,
          activation: 'sigmoid',
          inputShape: [this.columns().length],
          kernelInitializer: tf.initializers.glorotUniform({ seed }),
          kernelRegularizer: tf.regularizers.l2({ l2: this.settings.l2 }),
        }),
      ],
    });
  }

  protected inputs(flat: Float32Array, _sequence: Float32Array, rows: number, data: ModelData): tf.Tensor[] {
    const columns = this.columns();
    return [tf.tensor2d(gatherColumns(flat, data.width, rows, columns), [rows, columns.length])];
  }

  protected override flatColumns(): readonly number[] {
    return this.columns();
  }

  protected override readsSequence(): boolean {
    return false;
  }

  private columns(): number[] {
    return baseColumns(this.spec);
  }
}
