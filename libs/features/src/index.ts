export { FeaturePipeline } from './lib/feature-pipeline';
export type { FeatureMatrix } from './lib/feature-matrix';
export {
  PIPELINE_FORMAT,
  PIPELINE_FORMAT_VERSION,
  type PipelineJSON,
  type InputEncoding,
  type EngineeredState,
} from './lib/pipeline-format';
export { SEGMENTS, segmentIndex, type Segment, type SegmentMedians } from './lib/behavioral-segment';
export { featureColumnNames } from './lib/feature-columns';
