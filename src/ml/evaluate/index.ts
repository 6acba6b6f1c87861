export {
  needsProbabilities,
  predictForMetrics,
  progressiveValScore,
  type ScoredPrediction,
  scorePrediction,
} from './progressive-validation.js';
