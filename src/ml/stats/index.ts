export { Mean } from './mean.js';
export { Var } from './var.js';
