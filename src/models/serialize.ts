import { tf } from './backend';
import type { CalibrationRecord } from './calibration';
import { createNetwork } from './networks';
import type { NetworkKind, NetworkModel, NetworkState } from './NetworkModel';
import { Predictor, type PredictorInfo } from './Predictor';
import type { TableSpec } from '../features/featureTable';

const MAGIC = 'KEEPUPM1';

interface StoredNetwork {
  state: NetworkState;
  topology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  offset: number;
  length: number;
}

interface Header {
  spec: TableSpec;
  info: PredictorInfo;
  calibration: CalibrationRecord;
  networks: StoredNetwork[];
}

/** Thrown when a buffer is not a Keepup model. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

/**
 * Packs a predictor into one Buffer (for a MongoDB binary field): magic, header length, a JSON header
 * (feature spec, info, calibration with its reliability data, every network's topology, weight specs and
 * normalization statistics), then all weights back to back.
 */
export async function serializePredictor(predictor: Predictor): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const networks: StoredNetwork[] = [];
  let offset = 0;
  for (const folds of predictor.networks.values()) {
    for (const network of folds) {
      if (!network.net || !network.state) throw new ModelFormatError(`cannot serialize an untrained ${network.kind} network`);
      let artifacts: tf.io.ModelArtifacts | undefined;
      await network.net.save(
        tf.io.withSaveHandler(async (a) => {
          artifacts = a;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const weights = Buffer.from(concatWeights(artifacts!.weightData!));
      networks.push({ state: network.state, topology: artifacts!.modelTopology as object, weightSpecs: artifacts!.weightSpecs!, offset, length: weights.length });
      chunks.push(weights);
      offset += weights.length;
    }
  }
  const header: Header = { spec: predictor.spec, info: predictor.info, calibration: predictor.calibration, networks };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(MAGIC.length + 4);
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(json.length, MAGIC.length);
  return Buffer.concat([prefix, json, ...chunks]);
}

/** The stored header of a model buffer and where its weights start. */
function parseHeader(buffer: Buffer): { header: Header; weightsStart: number } {
  if (buffer.length < MAGIC.length + 4 || buffer.toString('ascii', 0, MAGIC.length) !== MAGIC) throw new ModelFormatError('not a Keepup model buffer');
  const length = buffer.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + length > buffer.length) throw new ModelFormatError('truncated model buffer');
  return { header: JSON.parse(buffer.toString('utf8', start, start + length)) as Header, weightsStart: start + length };
}

/**
 * The training record of a model buffer (info with its validation metrics, and the calibration with its
 * reliability diagram on the validation rows) without loading any network.
 */
export function readModelRecord(buffer: Buffer): { info: PredictorInfo; calibration: CalibrationRecord } {
  const { header } = parseHeader(buffer);
  return { info: header.info, calibration: header.calibration };
}

/** Rebuilds a predictor from a buffer made by `serializePredictor`. */
export async function deserializePredictor(buffer: Buffer): Promise<Predictor> {
  const { header, weightsStart } = parseHeader(buffer);
  const networks = new Map<NetworkKind, NetworkModel[]>();
  for (const stored of header.networks) {
    const weights = buffer.subarray(weightsStart + stored.offset, weightsStart + stored.offset + stored.length);
    const net = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: stored.topology, weightSpecs: stored.weightSpecs, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length) as ArrayBuffer }),
    );
    const network = createNetwork(stored.state.kind, stored.state.spec, stored.state.settings).restore(stored.state, net);
    networks.set(stored.state.kind, [...(networks.get(stored.state.kind) ?? []), network]);
  }
  return new Predictor(header.spec, networks, header.calibration, header.info);
}

function concatWeights(data: tf.io.WeightData): Uint8Array {
  if (!Array.isArray(data)) return new Uint8Array(data);
  const total = data.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}
