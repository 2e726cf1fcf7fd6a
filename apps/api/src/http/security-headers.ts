import type { IncomingMessage, ServerResponse } from 'node:http';

type HeaderMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The headers a middleware that only sets fixed headers (helmet) sets, captured once by running it
 * against a recording response. The prediction routes send exactly these without running the
 * middleware per request; the Express routes run it as usual.
 */
export function capturedHeaders(middleware: HeaderMiddleware): [string, string][] {
  const headers = new Map<string, [string, string]>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), [name, Array.isArray(value) ? value.join(', ') : String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase())?.[1];
    },
  };
  let called = false;
  middleware({ headers: {}, method: 'POST', url: '/' } as IncomingMessage, recorder as unknown as ServerResponse, (err) => {
    if (err) throw err;
    called = true;
  });
  if (!called) throw new Error('capturedHeaders: the middleware did not call next() synchronously');
  return [...headers.values()];
}
