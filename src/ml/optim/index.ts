export { Optimizer } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdaGrad, type AdaGradOptions } from './ada-grad.js';
export { RMSProp, type RMSPropOptions } from './rms-prop.js';
export { Hinge, type HingeOptions, Log, type Loss, sigmoid, Squared } from './losses.js';
export { CrossEntropy, type CrossEntropyOptions } from './cross-entropy.js';
export { Zeros } from './initializers.js';
