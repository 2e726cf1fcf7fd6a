import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors/api-error';

/**
 * Checks the declared body of a request before reading it: 415 unless it is uncompressed JSON in
 * UTF-8, 413 when Content-Length already says it is too large.
 */
export function checkJsonHeaders(req: IncomingMessage, limitBytes: number): void {
  const type = req.headers['content-type'];
  // The common case first: no parameters to look at.
  if (type !== 'application/json') checkMediaType(type);
  const encoding = req.headers['content-encoding']?.toLowerCase();
  if (encoding !== undefined && encoding !== 'identity') {
    throw new ApiError(415, 'unsupported_media_type', `the Content-Encoding ${encoding} is not supported; send the body uncompressed`);
  }
  if (Number(req.headers['content-length']) > limitBytes) throw tooLarge(limitBytes);
}

function checkMediaType(type: string | undefined): void {
  const media = type?.split(';', 1)[0].trim().toLowerCase();
  if (media !== 'application/json') {
    const what = type === undefined ? 'no Content-Type' : `Content-Type ${type}`;
    throw new ApiError(415, 'unsupported_media_type', `the body must be sent as application/json, got ${what}`);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type ?? '')?.[1].toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ApiError(415, 'unsupported_media_type', `the charset ${charset} is not supported; send UTF-8 JSON`);
  }
}

/**
 * Reads and parses a JSON body of at most `limitBytes`, then calls `done` once: with an ApiError
 * (413 past the limit, 400 unless it is JSON with an object or array at the top, as body-parser's
 * strict mode; 400 when the client goes away mid-body) or with the value; an empty body is `{}`.
 * A callback rather than a promise: this is on the path of every prediction.
 */
export function readJsonBody(req: IncomingMessage, limitBytes: number, done: (error: ApiError | undefined, body?: unknown) => void): void {
  const chunks: Buffer[] = [];
  let length = 0;
  let settled = false;
  const fail = (error: ApiError) => {
    if (settled) return;
    settled = true;
    done(error);
  };
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    length += chunk.length;
    if (length > limitBytes) fail(tooLarge(limitBytes));
    else chunks.push(chunk);
  });
  req.on('error', (err) => fail(new ApiError(400, 'bad_request', `the request body could not be read: ${err.message}`)));
  // A client that goes away mid-body: no 'end' will come.
  req.on('close', () => {
    if (!req.complete) fail(new ApiError(400, 'bad_request', 'the request body could not be read: the connection closed before the body was complete'));
  });
  req.on('end', () => {
    if (settled) return;
    settled = true;
    const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
    let body: unknown;
    try {
      body = parseStrictJson(text);
    } catch (err) {
      done(new ApiError(400, 'malformed_json', `the request body is not valid JSON: ${(err as Error).message}`));
      return;
    }
    done(undefined, body);
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
  return new ApiError(413, 'payload_too_large', `the request body is larger than the limit of ${limitBytes} bytes`);
}
