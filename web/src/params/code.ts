import type { ParamMatcher } from '@sveltejs/kit';

/** Indicator, organisation and network codes, as the API accepts them. */
export const match: ParamMatcher = (param) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(param);
