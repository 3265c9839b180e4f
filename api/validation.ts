import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { ApiError } from './errors';

/** zod validation for a request part; a failure becomes a 400 naming the first bad parameter and why. */
export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      const parameter = issue?.path.map(String).join('.') || target;
      throw new ApiError(400, 'invalid_parameter', `${parameter}: ${issue?.message ?? 'invalid value'}`, parameter);
    }
  });
}
