/**
 * A problem with an input file that the user can fix: a missing file, an unknown column, a cell
 * that cannot be read. The message is meant to be shown as is, after the file and line.
 */
export class DataError extends Error {
  constructor(
    message: string,
    /** 1-based line of the file the problem is on, when it is on one. */
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'DataError';
  }
}
