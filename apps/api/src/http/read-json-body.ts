import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { ApiError, clip } from '../errors/api-error';
import { exceedsJsonDepth } from './json-depth';

/** The request body limits of the service (BODY_LIMIT, MAX_JSON_DEPTH). */
export interface BodyLimits {
  /** Most bytes of a body, both as sent and, when compressed, once inflated. */
  bytes: number;
  /** Most levels of nested arrays and objects. */
  depth: number;
}

/** Content-Encodings a body may be sent in. */
const ENCODINGS = new Set(['identity', 'gzip', 'x-gzip', 'deflate']);

/** Bytes of each request's body read so far (error answers are sized by them). */
const received = new WeakMap<IncomingMessage, number>();
/** Requests sent with `Expect: 100-continue`, and their responses: continued once the body is read. */
const awaitingContinue = new WeakMap<IncomingMessage, ServerResponse>();

export function receivedBytes(req: IncomingMessage): number {
  return received.get(req) ?? 0;
}

/** Marks a request whose client waits for `100 Continue` before sending the body. */
export function continueWhenRead(req: IncomingMessage, res: ServerResponse): void {
  awaitingContinue.set(req, res);
}

/**
 * Checks the declared body of a request before reading it: 415 unless it is JSON in UTF-8 sent
 * plain, gzip'd or deflated; 413 when Content-Length already says it is too large.
 */
export function checkJsonHeaders(req: IncomingMessage, limits: BodyLimits): void {
  const type = req.headers['content-type'];
  // The common case first: no parameters to look at.
  if (type !== 'application/json') checkMediaType(type);
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && !ENCODINGS.has(encoding.trim().toLowerCase())) {
    throw new ApiError(415, 'unsupported_media_type', `the Content-Encoding ${clip(encoding)} is not supported; send the body as identity, gzip or deflate`, [], {
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
  }
  if (Number(req.headers['content-length']) > limits.bytes) throw tooLarge(limits.bytes);
}

function checkMediaType(type: string | undefined): void {
  const media = type?.split(';', 1)[0].trim().toLowerCase();
  if (media !== 'application/json') {
    const what = type === undefined ? 'no Content-Type' : `Content-Type ${clip(type)}`;
    throw new ApiError(415, 'unsupported_media_type', `the body must be sent as application/json, got ${what}`);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type ?? '')?.[1].toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ApiError(415, 'unsupported_media_type', `the charset ${clip(charset)} is not supported; send UTF-8 JSON`);
  }
}

/**
 * Reads and parses a JSON body, then calls `done` once: with an ApiError (413 past the byte limit,
 * as sent or inflated; 400 for a body nested deeper than the depth limit, checked on the text
 * without recursion before parsing; 400 unless it is JSON with an object or array at the top, as
 * body-parser's strict mode; 400 for a corrupt compressed body or a client that goes away
 * mid-body) or with the value; an empty body is `{}`. A callback rather than a promise: this is on
 * the path of every prediction.
 */
export function readJsonBody(req: IncomingMessage, limits: BodyLimits, done: (error: ApiError | undefined, body?: unknown) => void): void {
  const chunks: Buffer[] = [];
  let length = 0;
  let settled = false;
  // Bytes as sent: counted for the limit, and recorded for the size of an error answer.
  let sent = 0;
  const fail = (error: ApiError) => {
    if (settled) return;
    settled = true;
    received.set(req, sent);
    done(error);
  };
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  const inflater = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : undefined;
  req.on('data', (chunk: Buffer) => {
    sent += chunk.length;
    if (settled) return;
    if (sent > limits.bytes) return fail(tooLarge(limits.bytes));
    if (inflater) inflater.write(chunk);
    else collect(chunk);
  });
  const collect = (chunk: Buffer) => {
    if (settled) return;
    length += chunk.length;
    if (length <= limits.bytes) return void chunks.push(chunk);
    fail(tooLarge(limits.bytes));
    // A small body that inflates past the limit is not inflated further.
    inflater?.destroy();
  };
  const parse = () => {
    if (settled) return;
    settled = true;
    received.set(req, sent);
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    if (exceedsJsonDepth(bytes, limits.depth)) {
      done(new ApiError(400, 'too_deeply_nested', `the request body nests arrays and objects deeper than ${limits.depth} levels (MAX_JSON_DEPTH)`));
      return;
    }
    let body: unknown;
    try {
      body = parseStrictJson(bytes.toString('utf8'));
    } catch (err) {
      done(new ApiError(400, 'malformed_json', `the request body is not valid JSON: ${clip((err as Error).message, 200)}`));
      return;
    }
    done(undefined, body);
  };
  if (inflater) wireInflater(inflater, encoding as string, collect, parse, fail);
  req.on('error', (err) => fail(new ApiError(400, 'bad_request', `the request body could not be read: ${clip(err.message)}`)));
  // A client that goes away mid-body: no 'end' will come.
  req.on('close', () => {
    if (!req.complete) fail(new ApiError(400, 'bad_request', 'the request body could not be read: the connection closed before the body was complete'));
  });
  req.on('end', () => {
    if (inflater) inflater.end();
    else parse();
  });
  awaitingContinue.get(req)?.writeContinue();
}

function wireInflater(inflater: Gunzip | Inflate, encoding: string, collect: (chunk: Buffer) => void, parse: () => void, fail: (e: ApiError) => void): void {
  inflater.on('data', collect);
  inflater.on('end', parse);
  inflater.on('error', (err) => {
    fail(new ApiError(400, 'malformed_body', `the request body is not valid ${encoding} data: ${clip(err.message)}`));
    inflater.destroy();
  });
}

function parseStrictJson(text: string): unknown {
  let i = 0;
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return {};
  const first = text[i];
  if (first !== '{' && first !== '[') throw new SyntaxError(`the top level must be an object or an array, found ${JSON.stringify(first)}`);
  return JSON.parse(text);
}

/** Space, tab, line feed, carriage return: the white space JSON allows. */
function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function tooLarge(limitBytes: number): ApiError {
  return new ApiError(413, 'payload_too_large', `the request body is larger than the limit of ${limitBytes} bytes`, [], { closeConnection: true });
}
