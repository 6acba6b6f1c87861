import type { z } from 'zod';

/** What a step is for; a nested parameter names the role its value must have. */
export type Role = 'transformer' | 'classifier' | 'regressor' | 'optimizer' | 'loss' | 'initializer';

/**
 * How one River class is described in a model spec: its params (a strict zod object, River's
 * parameter names in camelCase, every one optional: the class fills in River's defaults), the
 * params that are themselves steps, and how to build it. Registering a definition in
 * `catalog.ts` is all it takes for specs, validation and the generic estimator checks to know it.
 */
export interface StepDefinition<Params extends z.ZodObject = z.ZodObject> {
  type: string;
  role: Role;
  params: Params;
  /** Params whose values are nested step specs, and the role each must have. */
  nested?: Readonly<Record<string, Role>>;
  build(params: z.infer<Params>, nested: Readonly<Record<string, unknown>>): unknown;
}

export function defineStep<Params extends z.ZodObject>(definition: StepDefinition<Params>): StepDefinition {
  return definition as unknown as StepDefinition;
}
