import fc from 'fast-check';
import { stackTracePattern } from '../support/raw-observations';

/**
 * API fuzzing from the OpenAPI document: every operation and every parameter it declares, fed values that
 * are valid, a little wrong or hostile, in any mix. The contract checked on every answer: no 5xx, a JSON error
 * body for every 4xx (naming the parameter for a 400), and no stack trace or SQL anywhere.
 */

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

export interface FuzzParameter {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  schema: JsonSchema;
}

export interface FuzzOperation {
  method: string;
  path: string;
  parameters: FuzzParameter[];
}

/** Codes and labels that exist in the database, so fuzzed requests also reach the analysis behind validation. */
export interface KnownValues {
  indicators: string[];
  organisations: string[];
  networks: string[];
  periods: string[];
}

export interface FuzzRequest {
  method: string;
  url: string;
  /** The raw values sent, so an error message that echoes one is not mistaken for leaked SQL. */
  sent: string[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[] }>>;
}

/**
 * Exports document only format and size, but forward everything else to the chart's own route: fuzz those
 * parameters too (the spine's organisation becomes the profile's path segment).
 */
const exportSources: Record<string, string> = {
  funnel: '/api/funnel',
  caterpillar: '/api/funnel',
  spc: '/api/trends/spc',
  tartan: '/api/overview',
  spine: '/api/profile/{code}',
};

export function fuzzOperations(document: OpenApiDocument): FuzzOperation[] {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query' || parameter.in === 'path')
        .map((parameter) => ({ name: parameter.name, in: parameter.in as 'query' | 'path', required: parameter.required ?? false, schema: parameter.schema ?? {} })),
    })),
  );
  const byPath = new Map(operations.map((operation) => [operation.path, operation]));
  return operations.flatMap((operation) => {
    if (operation.path !== '/api/exports/{chart}') return [operation];
    return Object.entries(exportSources).map(([chart, source]) => {
      const forwarded = (byPath.get(source)?.parameters ?? [])
        .filter((parameter) => parameter.name !== 'format')
        .map((parameter) => (parameter.in === 'path' ? { ...parameter, name: 'organisation', in: 'query' as const } : parameter));
      return {
        ...operation,
        path: `/api/exports/${chart}`,
        parameters: [...operation.parameters.filter((parameter) => parameter.name !== 'chart'), ...forwarded],
      };
    });
  });
}

/** Values chosen to break parsers, queries and renderers: numbers at the edges, SQL, traversal, odd text. */
export const hostileValues = [
  '', ' ', '0', '-0', '-1', '1.5', '1e308', '-1e308', '1e-400', 'NaN', 'Infinity', '-Infinity', '0x10', '+1', '1_000', '1,5',
  '9'.repeat(400), '2147483648', '9007199254740993', '٣', '１２', 'true', 'false', 'null', 'undefined', '[]', '{}', '__proto__',
  "' OR 1=1 --", "'; drop table observations; --", '1; select pg_sleep(5)', '" or ""="', "%' --", '$1', '\\', "E'\\x00'", '/* */',
  '../../../../etc/passwd', '..', '.', '....//....//', '..\\..\\windows', '/etc/passwd', 'C:\\Windows\\win.ini', 'file:///etc/passwd',
  '\u0000', '\uFEFF', '\u202Eevil', '\u{1F4A9}', 'é', 'Ｒ', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '\r\nX-Injected: 1', '<script>alert(1)</script>', '${7*7}', '{{7*7}}',
  '2024-02-30', '2024-13-01', '0000-00-00', '9999-12-31', '2024/25 Q5', '2024/25 Q1', '1900', '2023-07..2024-06', 'Apr 2024', ',', ',,,', 'a,b,c',
  'x'.repeat(1001), 'A'.repeat(20_000),
];

/** Percent sequences that are not valid UTF-8 or not valid escapes, sent as they are. */
const rawEscapes = ['%', '%%', '%FF', '%00', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%2e%2e%2f%2e%2e%2f', '..%2F..%2F', '%252e%252e'];

type Sent = { value: string; raw: boolean };

const hostile: fc.Arbitrary<Sent> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...hostileValues).map((value) => ({ value, raw: false })) },
  { weight: 2, arbitrary: fc.constantFrom(...rawEscapes).map((value) => ({ value, raw: true })) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }).map((value) => ({ value, raw: false })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((value) => ({ value, raw: false })) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double()).map((value) => ({ value: String(value), raw: false })) },
);

function validValue(operation: FuzzOperation, parameter: FuzzParameter, known: KnownValues): fc.Arbitrary<string> {
  const { schema, name } = parameter;
  const pick = (values: string[]) => (values.length > 0 ? fc.constantFrom(...values) : fc.constant('X'));
  if (schema.enum) return fc.constantFrom(...schema.enum.map(String));
  if (schema.type === 'integer') return fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 100, 100) }).map(String);
  if (schema.type === 'number') return fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 100, noNaN: true }).map(String);
  if (name === 'indicator') return pick(known.indicators);
  if (name === 'organisation') return pick(known.organisations);
  if (name === 'network') return pick(known.networks);
  if (name === 'period') return pick(known.periods);
  if (name === 'rebase') return fc.subarray(known.periods, { minLength: 1, maxLength: 3 }).map((labels) => labels.join(','));
  if (name === 'date') return fc.constantFrom('2024-04-01', '2023-01-31', '2025-03-31');
  if (name === 'code') {
    if (operation.path.startsWith('/api/indicators')) return pick(known.indicators);
    if (operation.path.startsWith('/api/networks')) return pick(known.networks);
    return pick(known.organisations);
  }
  return fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 });
}

/** One parameter's contribution: omitted, valid, hostile, or repeated with two values. */
function parameterValues(operation: FuzzOperation, parameter: FuzzParameter, known: KnownValues): fc.Arbitrary<Sent[]> {
  const valid = validValue(operation, parameter, known).map((value) => ({ value, raw: false }));
  const one = fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: hostile });
  return fc.oneof(
    { weight: parameter.required ? 1 : 4, arbitrary: fc.constant<Sent[]>([]) },
    { weight: 10, arbitrary: valid.map((value) => [value]) },
    { weight: 5, arbitrary: hostile.map((value) => [value]) },
    { weight: 1, arbitrary: fc.tuple(one, one) },
  );
}

const encode = ({ value, raw }: Sent) => (raw ? value : encodeURIComponent(value));

/** Parameters nobody declared, some with names that poison naive parsers. */
const strayParameter = fc.tuple(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'indicator[]', 'a'.repeat(300), 'x y', '%'), hostile);

export function fuzzRequestArbitrary(operations: FuzzOperation[], known: KnownValues): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...operations).chain((operation) =>
    fc
      .tuple(
        fc.tuple(...operation.parameters.map((parameter) => parameterValues(operation, parameter, known))),
        fc.option(strayParameter, { freq: 8 }),
        fc.boolean(),
      )
      .map(([values, stray, rawPath]) => {
        let path = operation.path;
        const query: string[] = [];
        const sent: string[] = [];
        operation.parameters.forEach((parameter, i) => {
          for (const value of values[i]) sent.push(value.value);
          if (parameter.in === 'path') {
            // An omitted path segment leaves it empty; hostile ones are sometimes sent unencoded (traversal).
            const value = values[i][0] ?? { value: '', raw: false };
            path = path.replace(`{${parameter.name}}`, rawPath && !value.raw ? value.value.replace(/[?#]/g, encodeURIComponent) : encode(value));
          } else {
            for (const value of values[i]) query.push(`${encodeURIComponent(parameter.name)}=${encode(value)}`);
          }
        });
        if (stray) {
          const [name, value] = stray;
          sent.push(value.value);
          query.push(`${name === '%' ? name : encodeURIComponent(name)}=${encode(value)}`);
        }
        return { method: operation.method, url: query.length > 0 ? `${path}?${query.join('&')}` : path, sent };
      }),
  );
}

/** What an answer may never contain: a stack frame, driver or SQL text (user input it echoes is removed first). */
const leakPatterns: [string, RegExp][] = [
  ['a stack trace', stackTracePattern],
  ['a stack frame', /\n\s+at\s|node:internal|node_modules/],
  ['SQL', /\b(select|insert\s+into|delete\s+from|update)\b[^"\n]{0,120}\b(from|where|values|set|join)\b/i],
  ['a driver error', /Failed query|syntax error at or near|SQLSTATE|violates .* constraint|relation "|column "[a-z_]+" (does not exist|of relation)|invalid input syntax|PostgresError|DrizzleQueryError|ECONNREFUSED/i],
];

export interface FuzzAnswer {
  status: number;
  /** Why the answer breaks the contract, or undefined when it keeps it. */
  problem?: string;
}

type Fetcher = { request(url: string, init?: RequestInit): Response | Promise<Response> };

/** Sends one fuzzed request and judges the answer against the contract. */
export async function sendFuzzRequest(app: Fetcher, request: FuzzRequest): Promise<FuzzAnswer> {
  const init: RequestInit = { method: request.method };
  if (!['GET', 'HEAD'].includes(request.method)) Object.assign(init, { body: JSON.stringify({ value: request.sent[0] ?? null }), headers: { 'content-type': 'application/json' } });
  const response = await app.request(request.url, init);
  const type = response.headers.get('content-type') ?? '';
  const text = /json|text|csv|svg|html/.test(type) ? await response.text() : '';
  if (!text) await response.arrayBuffer();
  const { status } = response;
  if (status >= 500) return { status, problem: `${status} ${text.slice(0, 300)}` };
  if (status >= 400) {
    const error = parseError(text);
    if (!type.includes('json') || !error) return { status, problem: `a ${status} without a JSON error body: ${text.slice(0, 200)}` };
    if (status === 400 && typeof error.parameter !== 'string') return { status, problem: `a 400 that names no parameter: ${text.slice(0, 200)}` };
  }
  let scrubbed = text;
  for (const value of request.sent.filter((sent) => sent.length > 2).sort((a, b) => b.length - a.length)) {
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1), value.trim()])) scrubbed = scrubbed.split(form).join('');
  }
  const leak = leakPatterns.find(([, pattern]) => pattern.test(scrubbed));
  if (leak) return { status, problem: `${leak[0]} in a ${status} answer: ${scrubbed.slice(0, 300)}` };
  return { status };
}

function parseError(text: string): { code: string; message: string; parameter?: unknown } | undefined {
  try {
    const error = JSON.parse(text)?.error;
    return typeof error?.code === 'string' && typeof error?.message === 'string' ? error : undefined;
  } catch {
    return undefined;
  }
}

/** Reads codes and period labels from the API itself, so the fuzzer needs nothing but the app. */
export async function knownValuesFrom(app: Fetcher): Promise<KnownValues> {
  const json = async (url: string) => (await app.request(url)).json();
  const indicators: { code: string }[] = (await json('/api/indicators')).indicators;
  const networks: { code: string }[] = (await json('/api/networks')).networks;
  const organisations: { code: string }[] = (await json('/api/organisations?limit=200')).organisations;
  const periods = new Set<string>();
  for (const indicator of indicators.slice(0, 4)) {
    for (const period of (await json(`/api/indicators/${indicator.code}/periods`)).periods as { label: string }[]) periods.add(period.label);
  }
  return {
    indicators: indicators.map((indicator) => indicator.code),
    networks: networks.map((network) => network.code),
    organisations: organisations.map((organisation) => organisation.code),
    periods: [...periods],
  };
}

export interface FuzzReport {
  requests: number;
  byStatus: Record<number, number>;
  operations: number;
  failures: { url: string; problem: string }[];
}

/** The soak's form: many requests from a seed, every answer judged, every failure kept (no stop at the first). */
export async function fuzzApi(app: Fetcher, options: { requests: number; seed: number; concurrency?: number }): Promise<FuzzReport> {
  const operations = fuzzOperations(await (await app.request('/api/openapi.json')).json());
  const requests = fc.sample(fuzzRequestArbitrary(operations, await knownValuesFrom(app)), { numRuns: options.requests, seed: options.seed });
  const report: FuzzReport = { requests: 0, byStatus: {}, operations: operations.length, failures: [] };
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++];
      const answer = await sendFuzzRequest(app, request).catch((error: unknown) => ({ status: 0, problem: `the request threw: ${String(error)}` }));
      report.requests++;
      report.byStatus[answer.status] = (report.byStatus[answer.status] ?? 0) + 1;
      if (answer.problem) report.failures.push({ url: `${request.method} ${request.url}`.slice(0, 500), problem: answer.problem });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return report;
}
