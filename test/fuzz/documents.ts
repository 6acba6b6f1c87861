/**
 * Building GraphQL requests from JSON values: each argument goes inline as a literal (when it has
 * one) or as a variable, so the same attack reaches both graphql-js's literal parsing and its
 * variable coercion.
 */

/** A value only a GraphQL literal can carry (`1e400`, `{__proto__: true}`), sent as written. */
export class Raw {
  constructor(readonly text: string) {}
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A JSON value as a GraphQL literal, or undefined when it has none (non-name keys, NaN). */
export function literal(value: unknown): string | undefined {
  if (value instanceof Raw) return value.text;
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return String(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'string':
      // JSON's escapes are GraphQL's, except that lone surrogates become a syntax error there.
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        const items = value.map(literal);
        return items.every((i) => i !== undefined) ? `[${items.join(' ')}]` : undefined;
      }
      const fields: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const text = literal(v);
        if (!NAME.test(k) || text === undefined) return undefined;
        fields.push(`${k}: ${text}`);
      }
      return `{${fields.join(' ')}}`;
    }
    default:
      return undefined;
  }
}

/** What JSON would make of a value: Raw literals have no JSON form and become null. */
function jsonable(value: unknown): unknown {
  return value instanceof Raw ? null : value;
}

/** GraphQL types of the arguments eddy's fields take, for variable declarations. */
const ARG_TYPES: Record<string, Record<string, string>> = {
  learn: { model: 'String!', features: 'JSON', label: 'JSON!', predictionId: 'ID', key: 'String', wait: 'Boolean' },
  learnMany: { model: 'String!', examples: '[ExampleInput!]!', wait: 'Boolean' },
  createModel: { name: 'String!', spec: 'JSON!', metrics: '[String!]' },
  checkpoint: { model: 'String!', reason: 'CheckpointReason' },
  rollback: { model: 'String!', version: 'Int!' },
  audit: { model: 'String!', version: 'Int!' },
  predict: { model: 'String!', features: 'JSON!', version: 'Int' },
  predictMany: { model: 'String!', features: '[JSON!]!', version: 'Int' },
  model: { name: 'String!' },
  prediction: { id: 'ID!' },
};

export const SELECTIONS: Record<string, string> = {
  learn: '{ eventId applied version duplicate metrics { name value text } }',
  learnMany: '{ eventIds applied version duplicates }',
  createModel: '{ name task version }',
  checkpoint: '{ number sha256 }',
  rollback: '{ number sha256 }',
  audit: '{ ok version detail }',
  predict: '{ id model version label probabilities value }',
  predictMany: '{ id label probabilities value }',
  model: '{ name task samplesLearned version lag metrics { name value text } versions { number sha256 } }',
  prediction: '{ id model version label probabilities value }',
};

export interface Call {
  field: string;
  args: Record<string, unknown>;
  /** Inline literals where possible, else variables. */
  inline: boolean;
}

/**
 * One operation with one aliased field per call. Arguments left undefined are omitted.
 *
 * @example
 * operation('mutation', [{ field: 'learn', args: { model: 'm', label: new Raw('1e400') }, inline: false }])
 * // → mutation($a0_model: String!) { a0: learn(model: $a0_model, label: 1e400) { … } }
 */
export function operation(kind: 'query' | 'mutation', calls: Call[]): { query: string; variables: Record<string, unknown> } {
  const declarations: string[] = [];
  const variables: Record<string, unknown> = {};
  const fields = calls.map((call, i) => {
    const alias = `a${i}`;
    const args: string[] = [];
    for (const [name, value] of Object.entries(call.args)) {
      if (value === undefined) continue;
      const text = call.inline || value instanceof Raw ? literal(value) : undefined;
      if (text !== undefined) {
        args.push(`${name}: ${text}`);
      } else {
        const variable = `${alias}_${name}`;
        declarations.push(`$${variable}: ${ARG_TYPES[call.field]?.[name] ?? 'JSON'}`);
        variables[variable] = jsonable(value);
        args.push(`${name}: $${variable}`);
      }
    }
    const list = args.length > 0 ? `(${args.join(', ')})` : '';
    return `${alias}: ${call.field}${list} ${SELECTIONS[call.field] ?? ''}`;
  });
  const header = declarations.length > 0 ? `${kind}(${declarations.join(', ')})` : kind;
  return { query: `${header} { ${fields.join(' ')} }`, variables };
}
