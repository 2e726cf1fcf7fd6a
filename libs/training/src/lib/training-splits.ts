import { FeaturePipeline, type FeatureMatrix } from '@purchase/features';
import { stratifiedSplit, type DatasetSpec, type RawRecord } from '@purchase/preprocessing';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/** The data of a training, split and transformed: the pipeline is fitted on the training split only. */
export interface TrainingSplits {
  pipeline: FeaturePipeline;
  /** The raw training rows (the correlation table reads them). */
  trainRecords: RawRecord[];
  X: Record<SplitName, FeatureMatrix>;
  y: Record<SplitName, Uint8Array>;
}

function pick<T>(items: readonly T[], indices: Uint32Array): T[] {
  const out = new Array<T>(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = items[indices[i]];
  return out;
}

function pickLabels(labels: Uint8Array, indices: Uint32Array): Uint8Array {
  const out = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = labels[indices[i]];
  return out;
}

/** Splits the rows 70/15/15 stratified by label (reproducible from the seed), fits the pipeline on train, transforms each split. */
export function splitAndTransform(spec: DatasetSpec, records: readonly RawRecord[], labels: Uint8Array, seed: number): TrainingSplits {
  const split = stratifiedSplit(labels, { seed });
  const trainRecords = pick(records, split.train);
  const pipeline = FeaturePipeline.fit(spec, trainRecords);
  return {
    pipeline,
    trainRecords,
    X: {
      train: pipeline.transform(trainRecords),
      validation: pipeline.transform(pick(records, split.validation)),
      test: pipeline.transform(pick(records, split.test)),
    },
    y: {
      train: pickLabels(labels, split.train),
      validation: pickLabels(labels, split.validation),
      test: pickLabels(labels, split.test),
    },
  };
}
