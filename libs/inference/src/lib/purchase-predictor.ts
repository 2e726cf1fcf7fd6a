import { FeaturePipeline } from '@purchase/features';
import { isDeepStrictEqual } from 'node:util';
import { calibrateOne, loadModel, type BinaryClassifier, type CalibrationMap, type CalibrationMethod, type ModelKind } from '@purchase/models';
import { validateRecord, type DatasetSpec, type FieldError, type RawRecord } from '@purchase/preprocessing';
import { BundleError, type BundleManifest } from './bundle-format';
import { decide, type Prediction } from './decide';
import { loadBundle } from './verify-bundle';

/** What the API shows of the model it serves (`/health` model_info, KServe metadata). */
export interface PredictorInfo {
  version: string;
  model_type: ModelKind;
  /** The candidate's name in the bundle (e.g. "gbdt"). */
  candidate: string;
  /** Input field names a record carries, in spec order. */
  features: string[];
  /** The model's input columns: engineered, scaled and one-hot encoded. */
  encoded_features: string[];
  threshold: number;
  threshold_rule: string;
  /** How the model's probabilities are calibrated before the threshold: none, platt or isotonic. */
  calibration: CalibrationMethod;
  created_at: string;
  /** Headline test-split metrics of the model (e.g. roc_auc, f1). */
  metrics: Record<string, number>;
  /** What the model was trained on: the dataset spec, the file, and the target it predicts. */
  dataset: { spec: string; file: string; rows: number; target: string; positive: string };
}

/** A record that failed the spec's checks; `errors` lists every problem with its column. */
export class InvalidRecordError extends Error {
  constructor(
    /** Position of the record in the batch (0 for predictOne). */
    readonly index: number,
    readonly errors: FieldError[],
  ) {
    super(`record ${index}: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'InvalidRecordError';
  }
}

/** Rows transformed and scored per model call; the matrix buffer is this many rows, allocated once. */
const BATCH_ROWS = 4096;

/**
 * A verified bundle, loaded: the fitted pipeline and the model, held for the life of the process.
 * Nothing is fitted and nothing is read from disk after `load`: a prediction is validate ->
 * transform into a preallocated matrix -> predictProba -> decide.
 */
export class PurchasePredictor {
  readonly info: PredictorInfo;
  /** The dataset spec the pipeline was fitted with: what a record must satisfy. */
  readonly spec: DatasetSpec;
  /** The calibration of the served probabilities (the bundle's; the identity when it has none). */
  readonly calibration: CalibrationMap;
  private readonly buffer: Float32Array;
  private readonly cols: number;

  private constructor(
    readonly manifest: BundleManifest,
    private readonly pipeline: FeaturePipeline,
    private readonly model: BinaryClassifier,
  ) {
    this.spec = pipeline.spec;
    this.cols = pipeline.width;
    this.buffer = new Float32Array(BATCH_ROWS * this.cols);
    this.calibration = manifest.model.calibration ?? { method: 'none' };
    this.info = {
      version: manifest.version,
      model_type: manifest.model.kind,
      candidate: manifest.model.candidate,
      features: this.spec.columns.map((c) => c.name),
      encoded_features: [...pipeline.columnNames],
      threshold: manifest.model.threshold,
      threshold_rule: manifest.model.thresholdRule,
      calibration: this.calibration.method,
      created_at: manifest.createdAt,
      metrics: { ...manifest.model.metrics },
      dataset: {
        spec: this.spec.name,
        file: manifest.data.file,
        rows: manifest.data.rows,
        target: this.spec.target.column,
        positive: this.spec.target.positive,
      },
    };
  }

  /**
   * Verifies the bundle at `bundleDir` (hashes, format versions), then loads its spec, pipeline and
   * model, and checks they fit together. Throws a BundleError naming what is wrong.
   */
  static async load(bundleDir: string): Promise<PurchasePredictor> {
    const bundle = await loadBundle(bundleDir);
    const { manifest } = bundle;
    let pipeline: FeaturePipeline;
    try {
      pipeline = FeaturePipeline.fromJSON(bundle.pipeline, 'pipeline.json');
    } catch (err) {
      throw new BundleError(bundleDir, [(err as Error).message]);
    }
    if (!isDeepStrictEqual(manifest.spec, pipeline.spec)) {
      throw new BundleError(bundleDir, ['the spec in manifest.json differs from the one pipeline.json was fitted with']);
    }
    let model: BinaryClassifier;
    try {
      model = await loadModel(bundle.modelDir);
    } catch (err) {
      throw new BundleError(bundleDir, [`model/ cannot be loaded: ${(err as Error).message}`]);
    }
    const problems: string[] = [];
    if (model.kind !== manifest.model.kind) {
      problems.push(`model/ holds a ${model.kind} model, manifest.json says ${manifest.model.kind}`);
    }
    const width = model.describe().inputWidth;
    if (width !== pipeline.width) {
      problems.push(`the model takes ${width} columns, the pipeline produces ${pipeline.width}`);
    }
    if (problems.length > 0) {
      model.dispose();
      throw new BundleError(bundleDir, problems);
    }
    return new PurchasePredictor(manifest, pipeline, model);
  }

  predictOne(record: RawRecord): Prediction {
    return this.predictMany([record])[0];
  }

  /**
   * Checks every record against the spec first (throws InvalidRecordError for the first bad one,
   * with all its problems), then scores them in batches of BATCH_ROWS rows.
   */
  predictMany(records: readonly RawRecord[]): Prediction[] {
    for (let i = 0; i < records.length; i++) {
      const errors = validateRecord(this.spec, records[i]);
      if (errors.length > 0) throw new InvalidRecordError(i, errors);
    }
    return this.predictChecked(records);
  }

  /**
   * Scores records that were already checked against this predictor's spec, by RowCoercer (CSV
   * cells) or by a request contract derived from the spec, so that a row is validated once. A
   * record that breaks the spec gets an unspecified answer here: use predictMany for anything else.
   */
  predictChecked(records: readonly RawRecord[]): Prediction[] {
    const { threshold } = this.manifest.model;
    const calibration = this.calibration;
    const calibrated = calibration.method !== 'none';
    const predictions = new Array<Prediction>(records.length);
    for (let start = 0; start < records.length; start += BATCH_ROWS) {
      const chunk = records.slice(start, start + BATCH_ROWS);
      const rows = chunk.length;
      const data = this.buffer.subarray(0, rows * this.cols);
      this.pipeline.transformInto(chunk, data);
      const probabilities = this.model.predictProba({ data, rows, cols: this.cols });
      for (let r = 0; r < rows; r++) {
        const p = calibrated ? calibrateOne(calibration, probabilities[r]) : probabilities[r];
        predictions[start + r] = decide(p, threshold);
      }
    }
    return predictions;
  }

  /** Releases the model's tensors (tfjs); the predictor must not be used afterwards. */
  dispose(): void {
    this.model.dispose();
  }
}
