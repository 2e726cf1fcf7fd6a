import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256, writeDirAtomic } from '@purchase/core';
import type { ModelDescription } from '../model';

/**
 * The tfjs layers format on disk, as tfjs-node's `file://` handler writes it: `model.json` (topology
 * and weightsManifest) beside one `weights.bin` shard. tfjs-node's `tf.loadLayersModel('file://…')`
 * reads these files; this module reads and writes them without tfjs-node, and adds our own
 * metadata under `userDefinedMetadata` (which tfjs carries through untouched).
 */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const TFJS_MODEL_FORMAT = 'purchase-tfjs-model';
export const TFJS_MODEL_FORMAT_VERSION = 1;

/** Our part of model.json, under `userDefinedMetadata`. */
export interface TfjsModelMetadata {
  format: typeof TFJS_MODEL_FORMAT;
  formatVersion: number;
  description: ModelDescription;
  /** SHA-256 of the weight bytes, so a corrupt shard is caught even when its length is right. */
  weightsSha256: string;
}

/** model.json, keys in the order tfjs-node writes them. */
interface ModelJson {
  modelTopology: tf.io.ModelJSON['modelTopology'];
  weightsManifest: tf.io.WeightsManifestConfig;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  userDefinedMetadata?: TfjsModelMetadata;
}

export interface LoadedLayersModel {
  network: tf.LayersModel;
  metadata: TfjsModelMetadata;
}

/** Writes `network` and `description` into `dir` (replaced atomically: the old model stays whole until the new one is complete). */
export async function writeLayersModel(dir: string, network: tf.LayersModel, description: ModelDescription): Promise<void> {
  await network.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const topology = artifacts.modelTopology;
      if (topology == null || topology instanceof ArrayBuffer) throw new Error('tfjs returned no JSON model topology');
      if (artifacts.weightSpecs === undefined || artifacts.weightData === undefined) {
        throw new Error('tfjs returned a model without weights');
      }
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const modelJson: ModelJson = {
        modelTopology: topology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        userDefinedMetadata: {
          format: TFJS_MODEL_FORMAT,
          formatVersion: TFJS_MODEL_FORMAT_VERSION,
          description,
          weightsSha256: sha256(weights),
        },
      };
      await writeDirAtomic(dir, { [MODEL_JSON]: JSON.stringify(modelJson), [WEIGHTS_BIN]: weights });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Reads a model written by `writeLayersModel`; every failure names the file at fault. */
export async function readLayersModel(dir: string): Promise<LoadedLayersModel> {
  const root = path.resolve(dir);
  const jsonPath = path.join(root, MODEL_JSON);
  const modelJson = parseModelJson(await readExisting(jsonPath, 'utf8'), jsonPath);
  const metadata = modelJson.userDefinedMetadata as TfjsModelMetadata;

  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const shardPaths = modelJson.weightsManifest.flatMap((group) =>
    group.paths.map((p) => {
      const resolved = path.resolve(root, p);
      if (!resolved.startsWith(root + path.sep)) {
        throw new Error(`${jsonPath}: weight path "${p}" points outside the model directory`);
      }
      return resolved;
    }),
  );
  const shards = await Promise.all(shardPaths.map((p) => readExisting(p)));
  const shardNames = shardPaths.join(' + ');
  const weights = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const shard of shards) {
    weights.set(shard, offset);
    offset += shard.length;
  }

  const expected = specs.reduce((n, spec) => n + weightBytes(spec, jsonPath), 0);
  if (weights.length !== expected) {
    throw new Error(
      `${shardNames} has ${weights.length} bytes, but ${MODEL_JSON}'s weightsManifest describes ${expected} (truncated or corrupt)`,
    );
  }
  if (sha256(weights) !== metadata.weightsSha256) {
    throw new Error(`${shardNames} does not match the SHA-256 recorded in ${MODEL_JSON} (corrupt weights)`);
  }

  // Built in two steps (as tf.loadLayersModel does inside) so that a failure can release the network.
  let network: tf.LayersModel;
  try {
    network = await tf.models.modelFromJSON({ modelTopology: modelJson.modelTopology } as tf.io.ModelJSON);
  } catch (err) {
    throw new Error(`${jsonPath}: modelTopology is not a tfjs layers model: ${(err as Error).message}`);
  }
  const values = tf.io.decodeWeights(weights.buffer, specs);
  try {
    network.loadWeights(values, true);
  } catch (err) {
    network.dispose();
    throw new Error(`${jsonPath}: the topology does not fit the weights in ${shardNames}: ${(err as Error).message}`);
  } finally {
    tf.dispose(Object.values(values));
  }
  const inputShape = network.inputs[0].shape;
  const outputShape = network.outputs[0].shape;
  const width = metadata.description.inputWidth;
  if (network.inputs.length !== 1 || inputShape.length !== 2 || inputShape[1] !== width || outputShape.join() !== ',1') {
    network.dispose();
    throw new Error(
      `${jsonPath}: the topology maps ${JSON.stringify(inputShape)} to ${JSON.stringify(outputShape)}, ` +
        `but userDefinedMetadata describes ${width} inputs to 1 probability`,
    );
  }
  return { network, metadata };
}

function parseModelJson(text: string, jsonPath: string): ModelJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${jsonPath} is not valid JSON (truncated or corrupt): ${(err as Error).message}`);
  }
  const json = parsed as Partial<ModelJson> | null;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${jsonPath} does not hold a JSON object`);
  if (json.format !== 'layers-model') {
    throw new Error(`${jsonPath}: format is ${JSON.stringify(json.format)}, expected "layers-model"`);
  }
  if (json.modelTopology === null || typeof json.modelTopology !== 'object') {
    throw new Error(`${jsonPath} has no modelTopology`);
  }
  const manifest = json.weightsManifest;
  if (
    !Array.isArray(manifest) ||
    manifest.length === 0 ||
    !manifest.every((g) => Array.isArray(g?.paths) && g.paths.every((p) => typeof p === 'string') && Array.isArray(g.weights))
  ) {
    throw new Error(`${jsonPath}: weightsManifest must be a non-empty list of {paths: string[], weights: []}`);
  }
  const metadata = json.userDefinedMetadata;
  if (metadata?.format !== TFJS_MODEL_FORMAT) {
    throw new Error(`${jsonPath} was not written by this project's tfjs models (userDefinedMetadata.format is not "${TFJS_MODEL_FORMAT}")`);
  }
  if (metadata.formatVersion !== TFJS_MODEL_FORMAT_VERSION) {
    throw new Error(`${jsonPath} has format version ${metadata.formatVersion}; this code reads version ${TFJS_MODEL_FORMAT_VERSION}`);
  }
  const description = metadata.description;
  if (description === null || typeof description !== 'object' || !Number.isInteger(description.inputWidth) || description.inputWidth < 1) {
    throw new Error(`${jsonPath}: userDefinedMetadata.description must give the model's kind and inputWidth`);
  }
  if (typeof metadata.weightsSha256 !== 'string') throw new Error(`${jsonPath}: userDefinedMetadata.weightsSha256 is missing`);
  return json as ModelJson;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function weightBytes(spec: tf.io.WeightsManifestEntry, jsonPath: string): number {
  const dtype = spec?.quantization?.dtype ?? spec?.dtype;
  const size = BYTES_PER_ELEMENT[dtype];
  if (
    typeof spec?.name !== 'string' ||
    size === undefined ||
    !Array.isArray(spec.shape) ||
    !spec.shape.every((d) => Number.isInteger(d) && d >= 0)
  ) {
    throw new Error(`${jsonPath}: weightsManifest entry ${JSON.stringify(spec)} is not a {name, shape, dtype} of a supported type`);
  }
  return spec.shape.reduce((n, d) => n * d, 1) * size;
}

async function readExisting(file: string): Promise<Uint8Array>;
async function readExisting(file: string, encoding: 'utf8'): Promise<string>;
async function readExisting(file: string, encoding?: 'utf8'): Promise<Uint8Array | string> {
  try {
    return encoding ? await readFile(file, encoding) : new Uint8Array(await readFile(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${file} does not exist`);
    throw err;
  }
}

