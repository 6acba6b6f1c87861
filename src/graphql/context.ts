import type { Authenticator, Principal } from '../serving/authenticator.js';
import type { EddyService } from '../serving/eddy-service.js';
import type { RateLimiter } from '../serving/rate-limiter.js';

/** The access-control machinery of a server process, shared by every request. */
export interface Access {
  authenticator: Authenticator;
  limiter: RateLimiter;
}

/** What every resolver receives. */
export interface EddyContext {
  service: EddyService;
  /** Who is asking; resolvers check it with `authorize` (authorize.ts). */
  principal: Principal;
  access: Access;
  /**
   * Set by the subscription fan-out (fanout/): subscription resolvers then only check access and
   * the model, and return a FanoutTopic for the process's Broadcaster to serve.
   */
  fanout?: boolean;
}

/**
 * A request's context, once its `Authorization` value is verified (else UNAUTHENTICATED). Without
 * a promise when the verification is remembered, as it is for nearly every request.
 */
export function createContext(
  service: EddyService,
  access: Access,
  authorization: string | undefined,
  address: string | undefined,
): EddyContext | Promise<EddyContext> {
  const principal = access.authenticator.cachedPrincipal(authorization, address);
  if (principal !== undefined) return { service, access, principal };
  return access.authenticator.authenticate(authorization, address).then((p) => ({ service, access, principal: p }));
}
