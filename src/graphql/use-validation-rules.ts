import type { ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Adds validation rules to every document yoga (and graphql-ws, which validates through yoga's
 * envelop) checks: the same list the fast path gets as `rules`, so both paths refuse the same
 * documents. With `NoSchemaIntrospectionCustomRule` it turns introspection off, as
 * `@graphql-yoga/plugin-disable-introspection` does, without another dependency.
 */
export function useValidationRules(rules: readonly ValidationRule[]): Plugin {
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}
