export { type FinalEstimator, Pipeline } from './pipeline.js';
