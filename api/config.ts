import { z } from 'zod';

const serverEnv = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  // local: the embedded demo, read-only for anyone on the public networks; token: a bearer token for every request.
  VARIATION_ATLAS_AUTH: z.enum(['local', 'token']).default('local'),
});

export type ServerConfig = z.infer<typeof serverEnv>;

/** Validates the server's environment at start-up, so a bad PORT fails with a clear message. */
export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = serverEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
