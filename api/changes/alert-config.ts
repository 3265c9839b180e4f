import { z } from 'zod';

/** E-mail alerts: off unless an SMTP server is configured. */
export interface AlertMailConfig {
  /** nodemailer's connection URL: smtp://user:password@host:587 or smtps://… */
  smtpUrl: string;
  from: string;
}

const blankIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const alertEnv = z.object({
  VARIATION_ATLAS_SMTP_URL: z.preprocess(blankIsUnset, z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional()),
  VARIATION_ATLAS_ALERT_FROM: z.preprocess(blankIsUnset, z.string().min(3).default('Variation Atlas <alerts@localhost>')),
  VARIATION_ATLAS_SUPPRESSION_MIN: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(1000).default(5)),
});

/** The SMTP settings from the environment, or null (the default): no e-mail is queued or sent. */
export function alertMailConfig(env: NodeJS.ProcessEnv = process.env): AlertMailConfig | null {
  const parsed = alertEnv.parse(env);
  return parsed.VARIATION_ATLAS_SMTP_URL ? { smtpUrl: parsed.VARIATION_ATLAS_SMTP_URL, from: parsed.VARIATION_ATLAS_ALERT_FROM } : null;
}

/** The deployment's small-number floor (as api/config.ts reads it): verdicts are recorded as they are published. */
export function suppressionFloorOf(env: NodeJS.ProcessEnv = process.env): number {
  return alertEnv.parse(env).VARIATION_ATLAS_SUPPRESSION_MIN;
}
