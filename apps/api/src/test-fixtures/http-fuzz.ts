import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';

/** Every route of the service, as a client names it. */
export const ROUTES = [
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'GET /v2',
  'GET /v2/health/live',
  'GET /v2/health/ready',
  'GET /v2/models/purchase-intent',
  'GET /v2/models/purchase-intent/ready',
  'GET /v2/models/purchase-intent/versions/v1',
  'GET /v2/models/purchase-intent/versions/v1/ready',
  'GET /metrics',
  'GET /openapi.json',
  'GET /docs/',
  'POST /predict',
  'POST /predict/batch',
  'POST /v2/models/purchase-intent/infer',
  'POST /v2/models/purchase-intent/versions/v1/infer',
  'POST /admin/reload',
] as const;

const SESSION = { customer_id: 11, time_spent: 4.5, pages_viewed: 3, basket_value: 20, device_type: 'Mobile', customer_type: 'New' };

/** Path segments that break parsers: malformed escapes, encoded bytes that are not UTF-8, unicode, dots. */
const nastySegment = fc.oneof(
  fc.constantFrom('%ZZ', '%', '%E0%A4%A', '%C0%AF', '%FF', '%00', '%2F', '..', '.', '%2e%2e', 'ümlaut', '😀', '%F0%9F%98%80', '*', ';a=b', 'PURCHASE-INTENT', 'Predict'),
  fc.string({ unit: 'grapheme', maxLength: 8 }).map(encodeURIComponent),
  fc.string({ maxLength: 8 }).map((s) => s.replace(/[\s?#/]/g, '_')),
);

/** A path: a real route's, one with a segment replaced or appended, or a very long one. */
const path = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ROUTES).map((r) => r.split(' ')[1]) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(...ROUTES), nastySegment, fc.nat()).map(([route, segment, at]) => {
      const parts = route.split(' ')[1].split('/');
      parts[1 + (at % (parts.length - 1))] = segment;
      return parts.join('/');
    }),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ROUTES), nastySegment).map(([route, segment]) => `${route.split(' ')[1]}/${segment}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 7000 }).map((n) => `/v2/models/${'x'.repeat(n)}/infer`) },
  { weight: 1, arbitrary: fc.constantFrom('/', '//', '/predict//', '/predict?x=%ZZ', '/health?%%', '/v2/models/purchase-intent/infer/') },
);

const method = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'HEAD') }, { weight: 2, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND') });

/** JSON bodies: valid ones, wrong shapes, deep nesting, huge numbers, prototype keys. */
const jsonBody = fc.oneof(
  fc.constantFrom(
    JSON.stringify(SESSION),
    JSON.stringify({ customers: [SESSION, SESSION] }),
    JSON.stringify({ inputs: [{ name: 'time_spent', datatype: 'FP64', shape: [1], data: [1] }] }),
    '{"customers": [[]]}',
    '{"customer_id": 1e999}',
    '{"customer_id": 123456789012345678901234567890}',
    '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {}}}',
    '{"customers": {"__proto__": []}}',
    '',
    '{',
    'null',
    '[]',
    '"text"',
    '\u0000',
    '{"a":"\\ud800"}',
  ),
  fc.integer({ min: 10, max: 20_000 }).map((n) => `{"customers": [${'['.repeat(n)}${']'.repeat(n)}]}`),
  fc.integer({ min: 10, max: 20_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(SESSION)), { maxLength: 60 }).map((a) => JSON.stringify({ customers: a })),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 200 }).map((d) => JSON.stringify({ ...SESSION, ...d })),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', undefined);
const encoding = fc.constantFrom(undefined, undefined, undefined, 'gzip', 'deflate', 'br', 'gzip, gzip', 'identity', 'garbage-gzip');

/** One request as bytes, with what it is for the assertions. */
export interface FuzzRequest {
  method: string;
  path: string;
  bytes: Buffer;
}

/** Extra headers: many, large, odd names and values, a request id, auth. */
const extraHeaders = fc.oneof(
  { weight: 4, arbitrary: fc.constant<[string, string][]>([]) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 400 }).map((n) => Array.from({ length: n }, (_, i): [string, string] => [`x-h${i}`, 'v'])) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 30_000 }).map((n): [string, string][] => [['x-big', 'a'.repeat(n)]]) },
  {
    weight: 2,
    arbitrary: fc.array(
      fc.tuple(
        fc.constantFrom('x-request-id', 'authorization', 'accept', 'accept-encoding', 'origin', 'x-forwarded-for', 'range', 'if-none-match', 'cookie', 'expect', 'te'),
        fc.oneof(fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n\0]/g, '')), fc.constantFrom('bearer x', '100-continue', 'gzip', '*/*', 'bytes=0-1')),
      ),
      { maxLength: 5 },
    ),
  },
);

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({ method, path, body: jsonBody, contentType, encoding, extra: extraHeaders })
  .map(({ method, path, body, contentType, encoding, extra }) => {
    let bytes = Buffer.from(body);
    if (encoding === 'gzip') bytes = gzipSync(bytes);
    if (encoding === 'deflate') bytes = deflateSync(bytes);
    const headers: [string, string][] = [['host', '127.0.0.1']];
    if (contentType) headers.push(['content-type', contentType]);
    if (encoding) headers.push(['content-encoding', encoding === 'garbage-gzip' ? 'gzip' : encoding]);
    const withBody = method !== 'GET' && method !== 'HEAD';
    headers.push(['content-length', String(withBody ? bytes.length : 0)], ...extra, ['connection', 'close']);
    const head = `${method} ${path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    const all = Buffer.concat([Buffer.from(head, 'utf8'), withBody ? bytes : Buffer.alloc(0)]);
    // A failing case is reported by its request head, not as a dump of every byte.
    return { method, path, bytes: all, [fc.toStringMethod]: () => JSON.stringify(head.slice(0, 600)) + ` + ${withBody ? bytes.length : 0} body bytes` };
  });
