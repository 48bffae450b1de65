import { z } from 'zod';

export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const paging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const errorBody = z.object({
  statusCode: z.number(),
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
/** Trimmed non-empty text without control characters (titles, names). */
export const label = (max = 200) =>
  z.string().trim().min(1, 'must not be empty').max(max)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');
