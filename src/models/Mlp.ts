import { tf } from './backend';
import type { ModelData } from './ModelData';
import { gatherColumns, NetworkModel } from './NetworkModel';
import { learnerColumns, type TableSpec } from '../features/featureTable';

/** A multilayer perceptron on the base and context features: two ReLU layers with dropout and L2. */
export class Mlp extends NetworkModel {
  constructor(spec: TableSpec, settings: { hidden?: number; dropout?: number; l2?: number } = {}) {
    super('mlp', spec, { hidden: settings.hidden ?? 128, dropout: settings.dropout ?? 0.3, l2: settings.l2 ?? 1e-5 });
  }

  protected defaults() {
    return { epochs: 30, learningRate: 1e-3 };
  }

  protected build(data: ModelData, seed: number): tf.LayersModel {
    const { hidden, dropout, l2 } = this.settings;
    const dense = (units: number, k: number, extra: Partial<Parameters<typeof tf.layers.dense>[0]> = {}) =>
      tf.layers.dense({ units, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + k }), kernelRegularizer: tf.regularizers.l2({ l2 }), ...extra });
    return tf.sequential({
      layers: [
        dense(hidden, 0, { inputShape: [learnerColumns(this.spec).length] }),
        tf.layers.dropout({ rate: dropout, seed }),
        dense(hidden / 2, 1),
        tf.layers.dropout({ rate: dropout, seed: seed + 1 }),
        tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }),
      ],
    });
  }

  protected override flatColumns(): readonly number[] {
    return learnerColumns(this.spec);
  }

  protected override readsSequence(): boolean {
    return false;
  }

  protected inputs(flat: Float32Array, _sequence: Float32Array, rows: number, data: ModelData): tf.Tensor[] {
    return [tf.tensor2d(gatherColumns(flat, data.width, rows, learnerColumns(this.spec)), [rows, learnerColumns(this.spec).length])];
  }
}
