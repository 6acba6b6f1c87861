import type { ApiKeyRole } from '../serving/api-key.js';
import { roleAllows } from '../serving/api-key.js';
import type { Principal } from '../serving/authenticator.js';
import { DomainError } from '../serving/errors.js';
import type { RateLimitedAction } from '../serving/rate-limiter.js';
import type { EddyContext } from './context.js';

interface Rule {
  role: ApiKeyRole;
  /** The rate-limit budget the call takes a token from. */
  limit?: RateLimitedAction;
}

/** Which role each operation needs, and which rate limit it counts against: the whole policy. */
const RULES = {
  models: { role: 'predict' },
  model: { role: 'predict' },
  prediction: { role: 'predict' },
  predict: { role: 'predict', limit: 'predict' },
  predictMany: { role: 'predict', limit: 'predict' },
  metrics: { role: 'predict' },
  versions: { role: 'predict' },
  learn: { role: 'learn', limit: 'learn' },
  learnMany: { role: 'learn', limit: 'learn' },
  createModel: { role: 'admin' },
  checkpoint: { role: 'admin' },
  rollback: { role: 'admin' },
  audit: { role: 'admin' },
} satisfies Record<string, Rule>;

export type Operation = keyof typeof RULES;

/** Whether the principal may see and use the model (its key's scope). */
export function mayUse(principal: Principal, model: string): boolean {
  return principal.models === null || principal.models.has(model);
}

/**
 * The one access check, called by each resolver before it does anything: the role, then the
 * model scope, then the rate limit. It never looks the model up, so FORBIDDEN says nothing about
 * whether a model exists: a key scoped to `a` asking for `zzz` is refused the same way whether or
 * not `zzz` exists.
 */
export function authorize(context: EddyContext, operation: Operation, model?: string): void {
  const rule: Rule = RULES[operation];
  const { principal } = context;
  if (!roleAllows(principal.role, rule.role)) {
    throw new DomainError('FORBIDDEN', `${operation} needs a key with the ${rule.role} role; this key has ${principal.role}`);
  }
  if (model !== undefined && !mayUse(principal, model)) {
    throw new DomainError('FORBIDDEN', `this key may not use the model ${JSON.stringify(model)}`);
  }
  if (rule.limit !== undefined) context.access.limiter.take(rule.limit, principal.client);
}

/** The last value of a subscription whose access ended: its resolver throws the error. */
export class AccessEnded {
  constructor(readonly error: DomainError) {}
}

/**
 * A subscription's updates, for as long as the principal stays valid: before each update the key
 * is checked again (cached, see Authenticator), and once it is revoked the subscriber gets one
 * UNAUTHENTICATED error and the subscription ends.
 */
export function whileAuthorized<T>(context: EddyContext, source: AsyncIterableIterator<T>): AsyncIterableIterator<T | AccessEnded> {
  let ended = false;
  const end = async () => {
    ended = true;
    return (await source.return?.()) ?? { value: undefined, done: true as const };
  };
  return {
    async next(): Promise<IteratorResult<T | AccessEnded>> {
      if (ended) return { value: undefined, done: true };
      const result = await source.next();
      if (result.done === true) return result;
      const valid = context.access.authenticator.stillValid(context.principal);
      if (valid === true || (valid !== false && (await valid))) return result;
      await end();
      const why = context.principal.keyId === null ? 'API keys are now required' : 'this API key has been revoked';
      return { value: new AccessEnded(new DomainError('UNAUTHENTICATED', `${why}; the subscription has ended`)), done: false };
    },
    return: end,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** For a subscription's `resolve`: the update, or the error that ended access. */
export function unlessEnded<T>(value: T | AccessEnded): T {
  if (value instanceof AccessEnded) throw value.error;
  return value;
}
