/**
 * Whether a store error means "the database cannot take this operation right now" (disk full,
 * locked past the busy timeout, an I/O error) rather than a bug: the operation changed nothing
 * and the same call may succeed later. Callers retry these (the learner) or answer UNAVAILABLE
 * (the API); anything else is a broken invariant. A PostgreSQL backend adds its own codes here.
 *
 * @example
 * try { await store.appendVersion(v, holder) } catch (e) { if (!isStoreUnavailable(e)) throw e; retryLater() }
 */
export function isStoreUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|BUSY|LOCKED|IOERR)/.test(code);
}

/** An error that crossed a thread or process boundary, with the database's code kept (`SQLITE_FULL`, …). */
export class WriterError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'WriterError';
  }
}
