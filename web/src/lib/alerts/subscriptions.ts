/** What a refused subscription form's error code means, in the Alerts page's words. */
export const subscriptionRefusals: Record<string, string> = {
  conflict: 'You already follow that.',
  not_found: 'No network, indicator or provider has that code (or it is not one you may see).',
  invalid_parameter: 'The form arrived with a value it cannot take: check the code and the webhook URL (http or https).',
  unauthenticated: 'Sign in to follow networks, indicators or providers.',
  forbidden: 'Your account may not do that.',
};

export type SubscriptionScope = 'network' | 'indicator' | 'provider';

export const scopeWords: Record<SubscriptionScope, string> = { network: 'network', indicator: 'indicator', provider: 'provider' };
