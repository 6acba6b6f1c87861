export { definitions } from './catalog.js';
export { num } from './checks.js';
export { defineStep, type Role, type StepDefinition } from './definition.js';
export {
  buildModel,
  formatPath,
  normalizedSpec,
  SpecError,
  type SpecIssue,
  taskOf,
  typesOf,
} from './model-spec.js';
