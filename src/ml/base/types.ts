/** A feature value as users send it. Strings are categories; numbers are measurements. */
export type FeatureValue = number | string;

/** One sample's features, keyed by feature name. Missing features are simply absent. */
export type Features = Readonly<Record<string, FeatureValue | boolean | null | undefined>>;

/** A class label. Binary tasks use booleans, as River's `y == "1"` loaders do. */
export type ClassLabel = boolean | number | string;

/** The target of one sample: a class for classifiers, a number for regressors. */
export type Label = ClassLabel;

/** Class → probability, in River's key order (ties in `predictOne` go to the first key). */
export type Probabilities = Map<ClassLabel, number>;

/** What a model predicts, and so how its labels are read and scored. */
export type Task = 'binary' | 'multiclass' | 'regression';

/** JSON-safe values: what snapshots are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
