import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { validator } from 'hono-openapi';
import type { ZodType } from 'zod';
import { ApiError } from './errors';

/**
 * zod validation for a request part that also documents it in the OpenAPI description; a failure becomes a
 * 400 naming the first bad parameter and why.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return validator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error[0];
      const parameter = issue?.path?.map((part) => String(typeof part === 'object' ? part.key : part)).join('.') || target;
      throw new ApiError(400, 'invalid_parameter', `${parameter}: ${issue?.message ?? 'invalid value'}`, parameter);
    }
  });
}

/**
 * PostgreSQL text cannot hold a NUL character and refuses the whole query with one; refused here for every
 * query parameter of every route, naming it, so no route has to remember it.
 */
export const refuseNulCharacters: MiddlewareHandler = async (c, next) => {
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (values.some((value) => value.includes('\0'))) throw new ApiError(400, 'invalid_parameter', `${name}: must not contain a NUL character`, name);
  }
  await next();
};
