/** The expected ways a request can fail; `src/graphql/errors.ts` turns each into a stable code. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'INVALID_SPEC'
  | 'INVALID_METRIC'
  | 'INVALID_FEATURES'
  | 'INVALID_LABEL'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_EXISTS'
  | 'VERSION_NOT_FOUND'
  | 'PREDICTION_NOT_FOUND'
  | 'ALREADY_LABELLED'
  | 'LIMIT_EXCEEDED'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED';

/** An expected failure with a code clients can act on. Nothing was changed by the request. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
