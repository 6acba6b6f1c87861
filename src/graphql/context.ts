import type { EddyService } from '../serving/eddy-service.js';

/** What every resolver receives. */
export interface EddyContext {
  service: EddyService;
}
