export { MinMaxScaler, type MinMaxScalerOptions } from './min-max-scaler.js';
export { OneHotEncoder, type OneHotEncoderOptions } from './one-hot-encoder.js';
export { StandardScaler, type StandardScalerOptions } from './standard-scaler.js';
