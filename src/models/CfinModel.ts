import { tf } from './backend';
import type { ModelData } from './ModelData';
import { gatherColumns, NetworkModel } from './NetworkModel';
import { contextViews, courseLevelColumns, type TableSpec } from '../features/featureTable';

/**
 * CFIN-style network (Feng, Tang & Liu, AAAI 2019), adapted to TensorFlow.js's WASM backend:
 * - context smoothing: each feature group (a channel's features, the weekly features, the regularity
 *   features) enters with every member's four views (raw, course z-score, percentile, difference to the
 *   course median) and is embedded by its own Dense layer (the paper's convolution, which WASM cannot train);
 * - attention: a small scoring network weights the group embeddings (softmax over groups), conditioned
 *   on the course-level context;
 * - a DNN head on the attended embedding, all group embeddings and the course context.
 */
export class CfinModel extends NetworkModel {
  constructor(spec: TableSpec, settings: { embedding?: number; hidden?: number; dropout?: number } = {}) {
    super('cfin', spec, { embedding: settings.embedding ?? 16, hidden: settings.hidden ?? 64, dropout: settings.dropout ?? 0.3 });
  }

  protected defaults() {
    return { epochs: 30, learningRate: 2e-3 };
  }

  protected build(_data: ModelData, seed: number): tf.LayersModel {
    const { embedding, hidden, dropout } = this.settings;
    const groups = contextViews(this.spec);
    const courseWidth = courseLevelColumns(this.spec).length;
    const groupInputs = groups.map((g) => tf.input({ shape: [g.columns.length * 4], name: `group_${g.name}` }));
    const course = tf.input({ shape: [courseWidth], name: 'course' });
    const embeddings = groupInputs.map((input, k) => {
      const e = tf.layers.dense({ units: embedding, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + k }) }).apply(input);
      return tf.layers.reshape({ targetShape: [1, embedding] }).apply(e) as tf.SymbolicTensor;
    });
    const stacked = tf.layers.concatenate({ axis: 1 }).apply(embeddings) as tf.SymbolicTensor;
    const courseRepeated = tf.layers.repeatVector({ n: groups.length }).apply(course) as tf.SymbolicTensor;
    const scoringInput = tf.layers.concatenate({ axis: 2 }).apply([stacked, courseRepeated]);
    const scoringHidden = tf.layers.dense({ units: embedding, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 50 }) }).apply(scoringInput);
    const logits = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 51 }) }).apply(scoringHidden);
    const weights = tf.layers.softmax({ axis: 1 }).apply(tf.layers.flatten().apply(logits)) as tf.SymbolicTensor;
    const attended = tf.layers.dot({ axes: [1, 1] }).apply([weights, stacked]) as tf.SymbolicTensor;
    const all = tf.layers.flatten().apply(stacked) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate().apply([attended, all, course]);
    const h1 = tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + 52 }) }).apply(tf.layers.dropout({ rate: dropout, seed }).apply(joined));
    const h2 = tf.layers.dense({ units: hidden / 2, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + 53 }) }).apply(h1);
    const output = tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 54 }) }).apply(h2) as tf.SymbolicTensor;
    return tf.model({ inputs: [...groupInputs, course], outputs: output });
  }

  protected override readsSequence(): boolean {
    return false;
  }

  protected inputs(flat: Float32Array, _sequence: Float32Array, rows: number, data: ModelData): tf.Tensor[] {
    const groups = contextViews(this.spec).map((g) => {
      const columns = g.columns.flat();
      return tf.tensor2d(gatherColumns(flat, data.width, rows, columns), [rows, columns.length]);
    });
    const course = courseLevelColumns(this.spec);
    return [...groups, tf.tensor2d(gatherColumns(flat, data.width, rows, course), [rows, course.length])];
  }
}
