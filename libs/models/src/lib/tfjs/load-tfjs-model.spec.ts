import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DenseNet } from './dense-net';
import { loadTfjsModel } from './load-tfjs-model';
import { LogisticRegression } from './logistic-regression';
import { nonLinearSessions } from '../../test-fixtures/nonlinear-sessions';

const train = nonLinearSessions(600, 11);
const test = nonLinearSessions(300, 12);
const featureNames = ['time', 'returning', 'pages', 'noise'];

let root: string;
let lr: LogisticRegression;
let net: DenseNet;
let lrDir: string;
let netDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tfjs-model-'));
  lr = new LogisticRegression();
  await lr.fit(train.X, train.y, { featureNames });
  net = new DenseNet({ hiddenLayers: [16, 8], epochs: 3, batchSize: 64, seed: 3 });
  await net.fit(train.X, train.y, { validation: test });
  lrDir = path.join(root, 'lr');
  netDir = path.join(root, 'net');
  await lr.save(lrDir);
  await net.save(netDir);
});

afterAll(async () => {
  lr.dispose();
  net.dispose();
  await rm(root, { recursive: true, force: true });
});

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Copies a saved model into a fresh directory and lets `damage` change its files. */
async function damagedCopy(from: string, damage: (json: string, bin: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'damaged-'));
  for (const name of ['model.json', 'weights.bin']) await writeFile(path.join(dir, name), await readFile(path.join(from, name)));
  await damage(path.join(dir, 'model.json'), path.join(dir, 'weights.bin'));
  return dir;
}

/** The parts of model.json the damage tests change. */
interface EditableModelJson {
  weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[];
  userDefinedMetadata?: { formatVersion: number; description: { inputWidth: number; kind: string } };
}

async function editJson(file: string, edit: (json: EditableModelJson) => void): Promise<void> {
  const json = JSON.parse(await readFile(file, 'utf8')) as EditableModelJson;
  edit(json);
  await writeFile(file, JSON.stringify(json));
}

describe('saving in the tfjs layers format', () => {
  it('writes model.json and weights.bin only, as tfjs-node\'s file:// handler lays them out', async () => {
    expect((await readdir(netDir)).sort()).toEqual(['model.json', 'weights.bin']);
    expect((await readdir(root)).sort()).toEqual(['lr', 'net']); // no temporary leftovers
    const json = JSON.parse(await readFile(path.join(netDir, 'model.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['modelTopology', 'weightsManifest', 'format', 'generatedBy', 'convertedBy', 'userDefinedMetadata']);
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toBe(`TensorFlow.js tfjs-layers v${tf.version_layers}`);
    expect(json.convertedBy).toBeNull();
    expect(json.modelTopology.config.layers.map((l: { config: { name: string } }) => l.config.name)).toEqual([
      'hidden_1', 'dropout_1', 'hidden_2', 'dropout_2', 'output',
    ]);
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.weightsManifest[0].weights.map((w: { name: string; shape: number[] }) => `${w.name} ${w.shape}`)).toEqual([
      'hidden_1/kernel 4,16', 'hidden_1/bias 16', 'hidden_2/kernel 16,8', 'hidden_2/bias 8', 'output/kernel 8,1', 'output/bias 1',
    ]);
    expect((await stat(path.join(netDir, 'weights.bin'))).size).toBe(4 * (4 * 16 + 16 + 16 * 8 + 8 + 8 + 1));
    expect(json.userDefinedMetadata).toMatchObject({
      format: 'purchase-tfjs-model',
      formatVersion: 1,
      description: net.describe(),
    });
  });

  it("is read by tfjs's own loader, fed the way tfjs-node's file:// handler feeds it", async () => {
    const json = JSON.parse(await readFile(path.join(netDir, 'model.json'), 'utf8'));
    const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => [
      manifest.flatMap((group) => group.weights),
      new Uint8Array(await readFile(path.join(netDir, manifest[0].paths[0]))).buffer,
    ]);
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const output = tf.tidy(() => model.predict(tf.tensor2d(test.X.data, [test.X.rows, test.X.cols])) as tf.Tensor);
    expect(bytes(output.dataSync() as Float32Array)).toEqual(bytes(net.predictProba(test.X)));
    output.dispose();
    model.dispose();
  });

  it('stores float32 weights that tfjs itself decodes to the fitted coefficients', async () => {
    const json = JSON.parse(await readFile(path.join(lrDir, 'model.json'), 'utf8'));
    const bin = await readFile(path.join(lrDir, 'weights.bin'));
    const decoded = tf.io.decodeWeights(new Uint8Array(bin).buffer, json.weightsManifest[0].weights);
    expect(Object.keys(decoded)).toEqual(['logit/kernel', 'logit/bias']);
    expect(bytes(decoded['logit/kernel'].dataSync() as Float32Array)).toEqual(bytes(lr.coefficients));
    expect(decoded['logit/bias'].dataSync()[0]).toBe(lr.intercept);
    tf.dispose(Object.values(decoded));
  });
});

describe('loadTfjsModel', () => {
  it.each([
    ['logistic regression', () => lr, () => lrDir],
    ['dense net', () => net, () => netDir],
  ])('reads a %s back with bit-identical predictions and the same description', async (_name, model, dir) => {
    const loaded = await loadTfjsModel(dir());
    expect(loaded.kind).toBe(model().kind);
    expect(loaded.describe()).toEqual(model().describe());
    expect(bytes(loaded.predictProba(test.X))).toEqual(bytes(model().predictProba(test.X)));
    loaded.dispose();
  });

  it('replaces an existing model directory with the newly saved model', async () => {
    const dir = path.join(root, 'replaced');
    await net.save(dir);
    await lr.save(dir);
    const loaded = await loadTfjsModel(dir);
    expect(loaded).toBeInstanceOf(LogisticRegression);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    loaded.dispose();
  });

  describe('on damaged files, fails with a message naming the file (and leaks no tensors)', () => {
    let tensorsBefore: number;
    beforeEach(() => (tensorsBefore = tf.memory().numTensors));
    afterEach(() => expect(tf.memory().numTensors).toBe(tensorsBefore));

    it('a missing model.json', async () => {
      const dir = path.join(root, 'nothing-here');
      await expect(loadTfjsModel(dir)).rejects.toThrow(`${path.join(dir, 'model.json')} does not exist`);
    });

    it('a truncated model.json', async () => {
      const dir = await damagedCopy(netDir, async (json) => {
        const text = await readFile(json, 'utf8');
        await writeFile(json, text.slice(0, text.length >> 1));
      });
      await expect(loadTfjsModel(dir)).rejects.toThrow(`${path.join(dir, 'model.json')} is not valid JSON (truncated or corrupt): `);
    });

    it('a truncated weights.bin', async () => {
      const dir = await damagedCopy(netDir, async (_json, bin) => {
        const data = await readFile(bin);
        await writeFile(bin, data.subarray(0, 500));
      });
      await expect(loadTfjsModel(dir)).rejects.toThrow(
        `${path.join(dir, 'weights.bin')} has 500 bytes, but model.json's weightsManifest describes 900 (truncated or corrupt)`,
      );
    });

    it('a weights.bin with a changed byte', async () => {
      const dir = await damagedCopy(netDir, async (_json, bin) => {
        const data = await readFile(bin);
        data[100] ^= 0xff;
        await writeFile(bin, data);
      });
      await expect(loadTfjsModel(dir)).rejects.toThrow(
        `${path.join(dir, 'weights.bin')} does not match the SHA-256 recorded in model.json (corrupt weights)`,
      );
    });

    it('a missing weights.bin', async () => {
      const dir = await damagedCopy(netDir, (_json, bin) => rm(bin));
      await expect(loadTfjsModel(dir)).rejects.toThrow(`${path.join(dir, 'weights.bin')} does not exist`);
    });

    it('a weight whose shape disagrees with the topology', async () => {
      const dir = await damagedCopy(netDir, (json) =>
        editJson(json, (j) => (j.weightsManifest[0].weights[0].shape = [16, 4])),
      );
      await expect(loadTfjsModel(dir)).rejects.toThrow(
        `${path.join(dir, 'model.json')}: the topology does not fit the weights in ${path.join(dir, 'weights.bin')}: Shape mismatch: [4,16] vs. [16,4]`,
      );
    });

    it('a topology of another input width than described', async () => {
      const dir = await damagedCopy(lrDir, (json) => editJson(json, (j) => (j.userDefinedMetadata!.description.inputWidth = 5)));
      await expect(loadTfjsModel(dir)).rejects.toThrow(
        `${path.join(dir, 'model.json')}: the topology maps [null,4] to [null,1], but userDefinedMetadata describes 5 inputs to 1 probability`,
      );
    });

    it('a model.json from elsewhere, of a newer version, or of another kind', async () => {
      const foreign = await damagedCopy(lrDir, (json) => editJson(json, (j) => delete j.userDefinedMetadata));
      await expect(loadTfjsModel(foreign)).rejects.toThrow(
        `${path.join(foreign, 'model.json')} was not written by this project's tfjs models (userDefinedMetadata.format is not "purchase-tfjs-model")`,
      );
      const newer = await damagedCopy(lrDir, (json) => editJson(json, (j) => (j.userDefinedMetadata!.formatVersion = 2)));
      await expect(loadTfjsModel(newer)).rejects.toThrow(`${path.join(newer, 'model.json')} has format version 2; this code reads version 1`);
      const trees = await damagedCopy(lrDir, (json) => editJson(json, (j) => (j.userDefinedMetadata!.description.kind = 'gbdt')));
      await expect(loadTfjsModel(trees)).rejects.toThrow(
        `${path.join(trees, 'model.json')} holds a "gbdt" model; tfjs models are logistic_regression or mlp`,
      );
    });

    it('a weight path outside the model directory', async () => {
      const dir = await damagedCopy(lrDir, (json) => editJson(json, (j) => (j.weightsManifest[0].paths = ['../lr/weights.bin'])));
      await expect(loadTfjsModel(dir)).rejects.toThrow(
        `${path.join(dir, 'model.json')}: weight path "../lr/weights.bin" points outside the model directory`,
      );
    });
  });
});
