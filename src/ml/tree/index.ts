export { HoeffdingTreeClassifier } from './hoeffding-tree-classifier.js';
export type {
  GaussianSplitterSpec,
  HoeffdingTreeClassifierOptions,
  HoeffdingTreeClassifierParams,
  LeafPrediction,
  SplitCriterionName,
} from './hoeffding-tree-options.js';
export { GaussianSplitter } from './gaussian-splitter.js';
export { NominalSplitterClassif } from './nominal-splitter.js';
export { GiniSplitCriterion, HellingerDistanceCriterion, InfoGainSplitCriterion } from './split-criterion.js';
export { erf } from './erf.js';
