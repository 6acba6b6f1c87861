import { featureReader, parseCell } from '../data/cells.js';
import { DataError } from '../data/data-error.js';
import type { Features, Label, Task } from '../ml/base/types.js';
import { DomainError } from '../serving/errors.js';
import { parseFeatures, parseLabel } from '../serving/inputs.js';
import { DEFAULT_LIMITS, type Limits } from '../serving/limits.js';

/** One labelled row, checked as the `learn` mutation checks its arguments. */
export interface Example {
  features: Features;
  label: Label;
}

/** What reading a row needs to know about the model it is for. */
export interface ExampleModel {
  task: Task;
  /** Whether string features (categories) are allowed: some step, such as OneHotEncoder, takes them. */
  acceptsCategories: boolean;
}

/**
 * Reads a CSV's rows as examples for a model: cells as River's loaders read them (`parseCell`:
 * numbers are numbers, empty cells are missing features, anything else is a string), then checked
 * exactly as a server checks a `learn` (`parseFeatures`, `parseLabel` for the model's task), so a
 * file imported directly and one sent over HTTP are read the same. Throws DataErrors with the line.
 */
export function exampleReader(
  columns: readonly string[],
  target: string,
  model: ExampleModel,
  limits: Limits = DEFAULT_LIMITS,
): (cells: readonly string[], line: number) => Example {
  const targetIndex = columns.indexOf(target);
  if (targetIndex < 0) {
    throw new DataError(`unknown column ${JSON.stringify(target)} (the columns are ${columns.map((c) => JSON.stringify(c)).join(', ')})`);
  }
  const features = featureReader(columns, targetIndex);
  const where = `target ${JSON.stringify(target)}`;
  return (cells, line) => {
    const raw = features(cells);
    try {
      return {
        features: parseFeatures(raw, limits, model.acceptsCategories),
        label: parseLabel(parseCell(cells[targetIndex]) ?? null, model.task, limits, where),
      };
    } catch (error) {
      if (error instanceof DomainError) throw new DataError(error.message, line);
      throw error;
    }
  };
}
