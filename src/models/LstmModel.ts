import { tf } from './backend';
import type { ModelData } from './ModelData';
import { gatherColumns, NetworkModel } from './NetworkModel';
import { learnerColumns, type TableSpec } from '../features/featureTable';

/**
 * An LSTM over the learner's activity sequence (periods of `stepDays` days, oldest first) whose final
 * state joins a dense encoding of the flat features before the output layer.
 */
export class LstmModel extends NetworkModel {
  constructor(spec: TableSpec, settings: { units?: number; hidden?: number; dropout?: number } = {}) {
    super('lstm', spec, { units: settings.units ?? 16, hidden: settings.hidden ?? 64, dropout: settings.dropout ?? 0.3 });
  }

  protected defaults() {
    return { epochs: 10, learningRate: 3e-3 };
  }

  protected build(data: ModelData, seed: number): tf.LayersModel {
    const { units, hidden, dropout } = this.settings;
    const sequence = tf.input({ shape: [data.steps, data.stepSize], name: 'sequence' });
    const flat = tf.input({ shape: [learnerColumns(this.spec).length], name: 'flat' });
    const recurrent = tf.layers
      .lstm({ units, kernelInitializer: tf.initializers.glorotUniform({ seed }), recurrentInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) })
      .apply(sequence) as tf.SymbolicTensor;
    const encoded = tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + 2 }) }).apply(flat) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate().apply([recurrent, encoded]) as tf.SymbolicTensor;
    const dropped = tf.layers.dropout({ rate: dropout, seed }).apply(joined) as tf.SymbolicTensor;
    const head = tf.layers.dense({ units: hidden / 2, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + 3 }) }).apply(dropped) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 4 }) }).apply(head) as tf.SymbolicTensor;
    return tf.model({ inputs: [sequence, flat], outputs: output });
  }

  protected override flatColumns(): readonly number[] {
    return learnerColumns(this.spec);
  }

  protected inputs(flat: Float32Array, sequence: Float32Array, rows: number, data: ModelData): tf.Tensor[] {
    return [tf.tensor3d(sequence, [rows, data.steps, data.stepSize]), tf.tensor2d(gatherColumns(flat, data.width, rows, learnerColumns(this.spec)), [rows, learnerColumns(this.spec).length])];
  }
}
