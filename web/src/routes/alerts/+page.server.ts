import type { PageServerLoad } from './$types';

/** Set by the API when a plain form made a webhook subscription (api/routes/alerts): its secret, shown here once. */
const webhookSecretCookie = 'va_webhook_secret';

/** A new webhook's signing secret, read and cleared so a reload does not show it again. */
export const load: PageServerLoad = ({ cookies }) => {
  const value = cookies.get(webhookSecretCookie);
  if (value === undefined) return { newWebhook: null };
  cookies.delete(webhookSecretCookie, { path: '/alerts' });
  const match = /^(\d+)\.(whsec_[A-Za-z0-9_-]+)$/.exec(value);
  return { newWebhook: match ? { subscriptionId: Number(match[1]), secret: match[2] } : null };
};
