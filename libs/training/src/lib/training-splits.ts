import { pointBiserialCorrelations, type FeatureCorrelation, type NumericColumn } from '@purchase/evaluation';
import { FeaturePipeline, type FeatureMatrix } from '@purchase/features';
import { sharedFloat32 } from '@purchase/models';
import { stratifiedSplit, type DatasetColumns, type DatasetSpec } from '@purchase/preprocessing';
import type { StepClock } from './step-clock';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/** The data of a training, split and transformed: the pipeline is fitted on the training split only. */
export interface TrainingSplits {
  pipeline: FeaturePipeline;
  X: Record<SplitName, FeatureMatrix>;
  y: Record<SplitName, Uint8Array>;
  /**
   * The report's correlation table: each raw numeric input of the training split against its label.
   * Computed here, so that the raw columns need not outlive the split.
   */
  correlations: FeatureCorrelation[];
}

function pickLabels(labels: Uint8Array, indices: Uint32Array): Uint8Array {
  const out = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = labels[indices[i]];
  return out;
}

/** Raw numeric and boolean inputs of the rows, NaN where missing (booleans as 0/1). */
function numericColumns(spec: DatasetSpec, data: DatasetColumns, rows: Uint32Array): NumericColumn[] {
  const out: NumericColumn[] = [];
  for (const c of data.columns) {
    const type = spec.columns.find((s) => s.name === c.name)?.type;
    if (type !== 'number' && type !== 'integer' && type !== 'boolean') continue;
    const values = new Float64Array(rows.length);
    if (c.kind === 'number') for (let i = 0; i < rows.length; i++) values[i] = c.values[rows[i]];
    else for (let i = 0; i < rows.length; i++) values[i] = c.codes[rows[i]] === 0 ? NaN : Number(c.levels[c.codes[rows[i]] - 1]);
    out.push({ name: c.name, values });
  }
  return out;
}

/**
 * Splits the rows 70/15/15 stratified by label (reproducible from the seed), fits the pipeline on
 * train and writes each split's matrix straight from the read's columns (one Float32Array each, no
 * per-row objects, no copies). Nothing here keeps `data`: once the caller drops it, the read is freed.
 */
export function splitAndTransform(spec: DatasetSpec, data: DatasetColumns, labels: Uint8Array, seed: number, clock: StepClock): TrainingSplits {
  const split = clock.time('split', () => stratifiedSplit(labels, { seed }));
  return clock.time('pipeline', () => {
    const pipeline = FeaturePipeline.fitColumns(spec, data, split.train);
    const yTrain = pickLabels(labels, split.train);
    return {
      pipeline,
      X: {
        // In shared memory, so that the boosted trees' threads bin them without a copy (at 10M rows
        // the training matrix is 448 MB).
        train: pipeline.transformColumns(data, split.train, sharedFloat32(split.train.length * pipeline.width)),
        validation: pipeline.transformColumns(data, split.validation, sharedFloat32(split.validation.length * pipeline.width)),
        test: pipeline.transformColumns(data, split.test),
      },
      y: {
        train: yTrain,
        validation: pickLabels(labels, split.validation),
        test: pickLabels(labels, split.test),
      },
      correlations: pointBiserialCorrelations(numericColumns(spec, data, split.train), yTrain),
    };
  });
}
