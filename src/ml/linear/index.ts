export { GLM, type GLMOptions } from './glm.js';
export { LinearRegression, type LinearRegressionOptions } from './linear-regression.js';
export { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
export { Perceptron, type PerceptronOptions } from './perceptron.js';
export { PAClassifier, type PAClassifierOptions } from './pa-classifier.js';
export { PARegressor, type PARegressorOptions } from './pa-regressor.js';
export { SoftmaxRegression, type SoftmaxRegressionOptions } from './softmax-regression.js';
