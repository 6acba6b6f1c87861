export { OneVsRestClassifier, type OneVsRestClassifierOptions } from './one-vs-rest-classifier.js';
