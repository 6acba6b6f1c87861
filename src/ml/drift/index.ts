export { ADWIN, type ADWINOptions } from './adwin.js';
