import { tf } from './backend';
import { auc } from './metrics';
import type { ModelData } from './ModelData';
import { fitNormalizer, normalize, type Normalizer } from './Normalizer';
import { permutation, seededRandom } from './random';
import type { TableSpec } from '../features/featureTable';

/** The model architectures Keepup trains. */
export type NetworkKind = 'lr' | 'mlp' | 'lstm' | 'cfin';

/** Training settings; every field has a default suited to a few tens of thousands of learners. */
export interface TrainOptions {
  /** Seed for weight initialisation and batch order (default 1). */
  seed?: number;
  /** Maximum passes over the training rows (default per architecture). */
  epochs?: number;
  /** Stop after this many epochs without a better validation AUC (default 3). */
  patience?: number;
  /** Mini-batch size (default rows / 40, between 32 and 512). */
  batchSize?: number;
  /** Adam learning rate (default per architecture). */
  learningRate?: number;
  /** Weight each class by n / (2 n_class) so the minority class counts as much (default true). */
  balanceClasses?: boolean;
  /** Called after each epoch with the validation AUC (NaN without validation data). */
  onEpoch?: (epoch: number, validationAuc: number) => void;
}

/** What a trained network needs besides its weights to score new rows (stored with it). */
export interface NetworkState {
  kind: NetworkKind;
  spec: TableSpec;
  flatNorm: Normalizer;
  sequenceNorm: Normalizer;
  /** Architecture settings the topology was built with. */
  settings: Record<string, number>;
}

/**
 * Base of every TensorFlow.js model: standardizes inputs with statistics fitted on the training rows,
 * trains with a seeded batch order, keeps the weights of the epoch with the best validation AUC, and
 * predicts raw (uncalibrated) dropout probabilities.
 */
export abstract class NetworkModel {
  net?: tf.LayersModel;
  state?: NetworkState;

  constructor(
    readonly kind: NetworkKind,
    readonly spec: TableSpec,
    readonly settings: Record<string, number>,
  ) {}

  /** Default epochs and learning rate of the architecture. */
  protected abstract defaults(): { epochs: number; learningRate: number };

  /** Builds the (untrained) network for inputs of the data's shape. */
  protected abstract build(data: ModelData, seed: number): tf.LayersModel;

  /** The network's input tensors for standardized data. */
  protected abstract inputs(flat: Float32Array, sequence: Float32Array, rows: number, data: ModelData): tf.Tensor[];

  /** The flat columns the network reads (only these are standardized); default all. */
  protected flatColumns(): readonly number[] | undefined {
    return undefined;
  }

  /** Whether the network reads the activity sequence (standardized only then). */
  protected readsSequence(): boolean {
    return true;
  }

  /** Trains on `train`, selecting the epoch by AUC on `validation` (whole held-out courses) when given. */
  async fit(train: ModelData, validation?: ModelData, options: TrainOptions = {}): Promise<void> {
    const defaults = this.defaults();
    const seed = options.seed ?? 1;
    const epochs = options.epochs ?? defaults.epochs;
    const patience = options.patience ?? 3;
    const random = seededRandom(seed);
    this.state = {
      kind: this.kind,
      spec: this.spec,
      flatNorm: fitNormalizer(train.flat, train.width),
      sequenceNorm: fitNormalizer(train.sequence, train.stepSize),
      settings: this.settings,
    };
    this.net?.dispose();
    const net = (this.net = this.build(train, seed));
    net.compile({ optimizer: tf.train.adam(options.learningRate ?? defaults.learningRate), loss: 'binaryCrossentropy' });
    const xs = this.tensors(train);
    const ys = tf.tensor2d(train.labels, [train.rows, 1]);
    const positives = train.labels.reduce((s, v) => s + v, 0);
    const classWeight = options.balanceClasses === false ? undefined : { 0: train.rows / (2 * (train.rows - positives)), 1: train.rows / (2 * positives) };
    let best = -Infinity;
    let bestWeights: tf.Tensor[] | undefined;
    let stale = 0;
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        const order = tf.tensor1d(permutation(train.rows, random), 'int32');
        const batchX = xs.map((x) => tf.gather(x, order));
        const batchY = tf.gather(ys, order);
        await net.fit(batchX, batchY, { epochs: 1, batchSize: options.batchSize ?? Math.max(32, Math.min(512, Math.round(train.rows / 40))), shuffle: false, verbose: 0, classWeight });
        tf.dispose([order, batchY, ...batchX]);
        const score = validation ? auc(await this.predictRaw(validation), validation.labels) : NaN;
        options.onEpoch?.(epoch, score);
        if (!validation) continue;
        if (score > best + 1e-5) {
          best = score;
          stale = 0;
          tf.dispose(bestWeights ?? []);
          bestWeights = net.getWeights().map((w) => w.clone());
        } else if (++stale >= patience) break;
      }
      if (bestWeights) net.setWeights(bestWeights);
    } finally {
      tf.dispose([...xs, ys, ...(bestWeights ?? [])]);
    }
  }

  /** Raw probabilities for every row of `data`. */
  async predictRaw(data: ModelData): Promise<Float32Array> {
    if (!this.net || !this.state) throw new Error(`${this.kind} model is not trained`);
    const out = new Float32Array(data.rows);
    const chunk = 8192;
    for (let start = 0; start < data.rows; start += chunk) {
      const end = Math.min(data.rows, start + chunk);
      const part = sliceRows(data, start, end);
      const xs = this.tensors(part);
      const y = this.net.predict(xs, { batchSize: end - start }) as tf.Tensor;
      out.set(await y.data(), start);
      tf.dispose([...xs, y]);
    }
    return out;
  }

  /** Restores a trained network from its state and loaded layers (used by deserialization). */
  restore(state: NetworkState, net: tf.LayersModel): this {
    this.state = state;
    this.net = net;
    return this;
  }

  /** Frees the network's tensors. */
  dispose(): void {
    this.net?.dispose();
    this.net = undefined;
  }

  private tensors(data: ModelData): tf.Tensor[] {
    const state = this.state!;
    const sequence = this.readsSequence() ? normalize(data.sequence, state.sequenceNorm) : data.sequence;
    return this.inputs(normalize(data.flat, state.flatNorm, this.flatColumns()), sequence, data.rows, data);
  }
}

function sliceRows(data: ModelData, start: number, end: number): ModelData {
  const seqWidth = data.steps * data.stepSize;
  return {
    ...data,
    rows: end - start,
    flat: data.flat.subarray(start * data.width, end * data.width),
    sequence: data.sequence.subarray(start * seqWidth, end * seqWidth),
    labels: data.labels.subarray(start, end),
    courses: data.courses.slice(start, end),
  };
}

/** Copies the given columns of row-major `values` into a new `rows × columns.length` matrix. */
export function gatherColumns(values: Float32Array, width: number, rows: number, columns: readonly number[]): Float32Array {
  const out = new Float32Array(rows * columns.length);
  for (let i = 0; i < rows; i++) for (let k = 0; k < columns.length; k++) out[i * columns.length + k] = values[i * width + columns[k]];
  return out;
}
