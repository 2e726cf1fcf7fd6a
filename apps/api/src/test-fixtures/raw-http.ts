import { createServer, type RequestListener, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

/** A listener (or a ready server) on a free loopback port, closed with `close()`. */
export async function listening(target: RequestListener | Server): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = typeof target === 'function' ? createServer(target) : target;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, port, close };
}

export interface RawAnswer {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** How the exchange ended: the server closed the connection (`end`), reset it, or timed out. */
  ending: 'end' | 'reset' | 'timeout';
  /** Every byte the server sent. */
  raw: string;
  /**
   * Whether the whole request was written before the connection ended. A client that writes its
   * whole body before reading (Python's urllib) never sees an answer when this is false.
   */
  written: boolean;
}

/**
 * One HTTP exchange on a fresh socket, written byte for byte: the way to send what no HTTP client
 * sends (malformed requests, bodies written whole before reading, like Python's urllib). Waits
 * until the server closes the connection or, with `untilAnswered`, until one full answer is in.
 */
export function exchange(port: number, request: string | Buffer, options: { untilAnswered?: boolean; timeoutMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    let written: boolean | undefined;
    let ended: RawAnswer['ending'] | undefined;
    const settle = (ending: RawAnswer['ending']) => {
      ended ??= ending;
      // The outcome of the write is known once it has been flushed or has failed.
      if (settled || (written === undefined && ended !== 'timeout')) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseAnswer(Buffer.concat(chunks).toString('latin1'), ended), written: written ?? false });
    };
    const timer = setTimeout(() => settle('timeout'), options.timeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.untilAnswered && isComplete(Buffer.concat(chunks).toString('latin1'))) settle('end');
    });
    socket.on('end', () => settle('end'));
    socket.on('error', () => settle('reset'));
    socket.write(request, (err) => {
      written = !err;
      if (ended) settle(ended);
    });
  });
}

function isComplete(raw: string): boolean {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(raw.slice(0, split));
  return length !== null && raw.length - split - 4 >= Number(length[1]);
}

function parseAnswer(raw: string, ending: RawAnswer['ending']): Omit<RawAnswer, 'written'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0);
  const body = split < 0 ? '' : Buffer.from(raw.slice(split + 4), 'latin1').toString('utf8');
  return { status, headers, body, ending, raw };
}

/** A POST as bytes: request line, headers (Content-Length added unless given), body. */
export function rawPost(path: string, headers: Record<string, string>, body: Buffer | string): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const all: Record<string, string> = { host: '127.0.0.1', ...headers };
  if (!Object.keys(all).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding')) all['content-length'] = String(bytes.length);
  const head = `POST ${path} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}
