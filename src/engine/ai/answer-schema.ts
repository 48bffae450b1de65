// The JSON Schema the model's answer must follow, generated from the zod schedule schema and made
// acceptable to `response_format: json_schema` with `strict: true` (every property required,
// optional ones nullable, no defaults, anyOf instead of oneOf); and the way back: nulls dropped
// so zod applies its defaults.
import { z } from 'zod';
import { scheduleDefinition } from '../../schemas/schedule.js';

type Json = Record<string, unknown>;

/** Rewrites a JSON Schema (from z.toJSONSchema) into OpenAI's strict subset. */
export function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'default' || k === '$schema') continue;
    if (k === 'oneOf') out.anyOf = strictSchema(v);
    else if (k === 'const') out.enum = [v];
    else if (k === 'properties') {
      const props: Json = {};
      const required = new Set(((node as Json).required as string[] | undefined) ?? []);
      for (const [name, p] of Object.entries(v as Json)) {
        const s = strictSchema(p) as Json;
        props[name] = required.has(name) ? s : { anyOf: [s, { type: 'null' }] };
      }
      out.properties = props;
      out.required = Object.keys(props);
      out.additionalProperties = false;
    } else if (k !== 'required') out[k] = strictSchema(v);
  }
  return out;
}

/** Drops null members of objects (the strict schema's "absent"), recursively. */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
}

export const answerShape = z.object({
  summary: z.string().max(2000).describe('one paragraph: what airs when, for the user to confirm'),
  definition: scheduleDefinition,
}).strict();

let cached: Json | undefined;
/** The response_format of every request. */
export function responseFormat(): { type: 'json_schema'; json_schema: { name: string; strict: true; schema: Json } } {
  cached ??= strictSchema(z.toJSONSchema(answerShape, { io: 'input', unrepresentable: 'any' })) as Json;
  return { type: 'json_schema', json_schema: { name: 'channel_schedule', strict: true, schema: cached } };
}
