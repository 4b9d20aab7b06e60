import { tf } from './backend';
import type { ModelData } from './ModelData';
import { NetworkModel } from './NetworkModel';
import type { TableSpec } from '../features/featureTable';

/** The baseline: L2-regularised logistic regression on the flat features (base, context, course-level). */
export class LogisticRegression extends NetworkModel {
  constructor(spec: TableSpec, settings: { l2?: number } = {}) {
    super('lr', spec, { l2: settings.l2 ?? 1e-4 });
  }

  protected defaults() {
    return { epochs: 40, learningRate: 0.01 };
  }

  protected build(data: ModelData, seed: number): tf.LayersModel {
    return tf.sequential({
      layers: [
        tf.layers.dense({
          units: 1,
          activation: 'sigmoid',
          inputShape: [data.width],
          kernelInitializer: tf.initializers.glorotUniform({ seed }),
          kernelRegularizer: tf.regularizers.l2({ l2: this.settings.l2 }),
        }),
      ],
    });
  }

  protected inputs(flat: Float32Array, _sequence: Float32Array, rows: number, data: ModelData): tf.Tensor[] {
    return [tf.tensor2d(flat, [rows, data.width])];
  }
}
