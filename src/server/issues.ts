// Turns request-validation failures (zod issues as fastify hands them over) into
// {path, message} pairs a person can act on: "body.number: must be a channel number like 5 or 5.1".

export interface Issue { path: string; message: string }

/** One entry of a fastify validation error (fastify-type-provider-zod fills params from the zod issue). */
export interface ValidationEntry {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const CONTEXT_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

const article = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);
const TYPE_NAMES: Record<string, string> = { int: 'integer', number: 'number', string: 'text string', boolean: 'boolean (true or false)', object: 'JSON object', array: 'JSON array' };
const typeName = (t: unknown) => TYPE_NAMES[String(t)] ?? String(t);

/** zod's own (generic) messages start like this; messages written in our schemas are kept as they are. */
const GENERIC = /^(Invalid|Too (small|big)|Unrecognized)/;

function unit(origin: unknown, n: number): string {
  if (origin === 'string') return `${n} character${n === 1 ? '' : 's'}`;
  if (origin === 'array' || origin === 'set') return `${n} item${n === 1 ? '' : 's'}`;
  return String(n);
}

function friendly(e: ValidationEntry): string {
  const msg = e.message ?? 'is invalid';
  if (!GENERIC.test(msg)) return msg;
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'invalid_type': {
      const got = /received (\w+)$/.exec(msg)?.[1];
      if (got === 'undefined') return 'is required';
      if (got === 'NaN') return 'must be a number';
      return `must be ${article(typeName(p.expected))}${got ? ` (got ${got})` : ''}`;
    }
    case 'too_small': {
      const min = Number(p.minimum);
      if (p.origin === 'string' && min === 1) return 'must not be empty';
      if (p.origin === 'string' || p.origin === 'array') return `must have at least ${unit(p.origin, min)}`;
      return p.inclusive === false ? `must be greater than ${min}` : `must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(p.maximum);
      if (p.origin === 'string' || p.origin === 'array') return `must have at most ${unit(p.origin, max)}`;
      return p.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    case 'invalid_value':
      return Array.isArray(p.values) ? `must be one of ${p.values.map((v) => JSON.stringify(v)).join(', ')}` : msg;
    case 'invalid_format':
      if (p.format === 'datetime') return 'must be an ISO 8601 date-time with a time zone, e.g. 2025-01-31T20:00:00Z';
      return `must be a valid ${String(p.format)}`;
    case 'invalid_union':
      if (Array.isArray(p.options)) return `must be one of ${p.options.map((v) => JSON.stringify(v)).join(', ')}`;
      if (Array.isArray(p.errors)) {
        const types = p.errors.flatMap((branch) => (Array.isArray(branch) ? branch : []))
          .filter((i: { code?: string; path?: unknown[] }) => i?.code === 'invalid_type' && (i.path?.length ?? 0) === 0)
          .map((i: { expected?: string }) => article(typeName(i.expected)));
        if (types.length) return `must be ${[...new Set(types)].join(' or ')}`;
      }
      return 'is not valid here';
    case 'not_multiple_of':
      return `must be a multiple of ${String(p.divisor)}`;
    default:
      return msg;
  }
}

/** Flattens fastify's validation entries (one zod issue each) into issues with full dotted paths. */
export function validationIssues(context: string | undefined, entries: readonly ValidationEntry[]): Issue[] {
  const prefix = CONTEXT_NAMES[context ?? ''] ?? context ?? 'request';
  const join = (...parts: string[]) => parts.filter((x) => x !== '').join('.');
  const base = (e: ValidationEntry) => join(prefix, (e.instancePath ?? '').split('/').filter(Boolean).join('.'));
  return entries.flatMap((e): Issue[] => {
    if (e.keyword === 'unrecognized_keys' && Array.isArray(e.params?.keys)) {
      return (e.params.keys as unknown[]).map((k) => ({ path: join(base(e), String(k)), message: 'is not a known field' }));
    }
    const path = base(e);
    if (path === 'body' && e.keyword === 'invalid_type' && /received (undefined|null)$/.test(e.message ?? '')) {
      return [{ path, message: `is required: send a ${typeName(e.params?.expected)} with content-type application/json` }];
    }
    return [{ path, message: friendly(e) }];
  });
}
