import type { Json } from './types.js';

/**
 * Serialises JSON with object keys sorted at every depth, so that equal states give equal bytes
 * (and so equal sha256). Numbers use JavaScript's shortest round-trip form. NaN, ±Infinity and
 * undefined are not JSON: they throw, because a state that holds one is a bug upstream.
 *
 * @example
 * base.canonicalJson({ b: 0.1, a: [true, null] }); // => {"a":[true,null],"b":0.1}
 */
export function canonicalJson(value: Json): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
      return JSON.stringify(value);
    case 'boolean':
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const keys = Object.keys(value).sort();
      const parts: string[] = [];
      for (const key of keys) {
        const item = value[key];
        if (item === undefined) throw new TypeError(`canonical JSON cannot hold undefined at ${key}`);
        parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}
