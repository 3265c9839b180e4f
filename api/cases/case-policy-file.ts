import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CasePolicyError, validatePolicy, type CasePolicy } from './case-policy';

const stageId = z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'must be lower-case letters, digits and underscores, starting with a letter');

/** A case policy as a JSON file gives it (VARIATION_ATLAS_CASE_POLICY): the shape of `CasePolicy`. */
export const casePolicySchema = z.object({
  name: z.string().trim().min(1).max(200),
  reference: z.string().trim().min(1).max(1000),
  extraHolidays: z.array(z.iso.date()).default([]),
  stages: z
    .array(
      z.object({
        id: stageId,
        label: z.string().trim().min(1).max(100),
        action: z.string().trim().max(1000).default(''),
        deadline: z.object({ days: z.number().int().min(1).max(3650), unit: z.enum(['working', 'calendar']) }).nullable(),
        next: z.array(stageId).default([]),
        final: z.boolean().optional(),
      }),
    )
    .min(1),
});

/** Reads and checks a case policy file; a problem is one message naming the file and the field. */
export function readCasePolicy(path: string): CasePolicy {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CasePolicyError(`${path}: ${(error as Error).message}`);
  }
  const parsed = casePolicySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CasePolicyError(`${path}: ${issue.path.join('.') || 'policy'}: ${issue.message}`);
  }
  try {
    return validatePolicy(parsed.data);
  } catch (error) {
    throw new CasePolicyError(`${path}: ${(error as Error).message}`);
  }
}
