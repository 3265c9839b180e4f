import { z } from 'zod';

/** Shared query and path parameters, so every route validates a code or a period the same way. */
export const code = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be a code of letters, digits, dot, dash or underscore');
/** A calendar date PostgreSQL can hold: a real month and day (leap years included) in year 1 or later. */
export const isoDate = z.iso
  .date('must be a date in the form YYYY-MM-DD')
  .refine((value) => !value.startsWith('0000'), 'must be a date in year 1 or later');
export const periodLabel = z.string().trim().min(1).max(40);
export const codeParam = z.object({ code });

/**
 * The small-number threshold a caller asks for: above the floor anyone may; below it only the roles allowed
 * to, with `suppressionReason`, audited (api/disclosure.ts decides it before any route runs; routes read
 * `c.var.suppressionThreshold`). Declared here so each route validates and documents them.
 */
export const suppression = z.coerce.number().int().min(0).max(1000).optional();
export const suppressionReason = z.string().trim().min(3).max(500).optional();

export const funnelMethod = {
  // Optional: without it each indicator's own default convention applies (Spiegelhalter's for one without).
  convention: z
    .enum(['spiegelhalter', 'cqc', 'shmi'])
    .optional()
    .describe("The funnel convention; default: the indicator's own (its publisher's, e.g. cqc for NHS England's performance standards, shmi for SHMI), else spiegelhalter"),
  adjustment: z.enum(['none', 'multiplicative', 'additive']).optional(),
  trim: z.coerce.number().min(0).max(0.45).default(0.1),
  trimMethod: z.enum(['winsorise', 'truncate']).optional(),
};

export const booleanFlag = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * Codes separated by commas ("A,B"), or the parameter repeated (`?indicators=A&indicators=B`, as an HTML form's
 * checkboxes send them), each checked as a code, none repeated.
 */
export const codeList = z
  .union([z.string().max(2000), z.array(z.string().max(2000)).max(50, 'must name at most 50 codes')])
  .transform((codes) => (Array.isArray(codes) ? codes : [codes]).flatMap((part) => part.split(',')).map((one) => one.trim()).filter((one) => one.length > 0))
  .pipe(z.array(code).min(1, 'must name at least one code').max(50, 'must name at most 50 codes'))
  .refine((codes) => new Set(codes).size === codes.length, 'must not name a code twice');
