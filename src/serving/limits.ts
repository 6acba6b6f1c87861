/** Input limits: each has a default and an option (see README, Configuration). */
export interface Limits {
  /** Largest request body, bytes. @default 1_048_576 */
  maxBodyBytes: number;
  /** Features in one example. @default 1000 */
  maxFeatures: number;
  /** Length of a feature name. @default 256 */
  maxFeatureNameLength: number;
  /** Length of a string feature value or class label. @default 1024 */
  maxStringLength: number;
  /** Examples in one learnMany / predictMany. @default 10_000 */
  maxBatch: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 1_048_576,
  maxFeatures: 1000,
  maxFeatureNameLength: 256,
  maxStringLength: 1024,
  maxBatch: 10_000,
};
