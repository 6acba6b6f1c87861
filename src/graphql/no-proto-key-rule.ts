import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses `__proto__` as a key of a literal object (`features: {__proto__: {x: 1}}`), on both
 * paths. graphql-jit (the fast path) writes literal arguments into its compiled code as JavaScript
 * object literals, where a `"__proto__"` key sets the object's prototype instead: the key vanished
 * and the prototype's keys showed through as features, where yoga kept it as a key. In variables
 * (JSON) it stays an ordinary key, which the input checks refuse as a feature name.
 *
 * @example
 * validate(schema, parse('{ predict(model: "m", features: {__proto__: {x: 1}}) { label } }'), [NoProtoKeyRule]);
 * // [GraphQLError: "__proto__" cannot be a key of a literal object; send it in variables]
 */
export const NoProtoKeyRule: ValidationRule = (context) => ({
  ObjectField(node) {
    if (node.name.value === '__proto__') {
      context.reportError(new GraphQLError('"__proto__" cannot be a key of a literal object; send it in variables', { nodes: node }));
    }
  },
});
