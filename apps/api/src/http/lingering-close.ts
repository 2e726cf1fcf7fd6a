import type { ServerResponse } from 'node:http';

/** The most request body bytes read and dropped after an error answer, before the connection is cut. */
export const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;
/** How long the rest of a refused body is read after the answer, at most. */
export const DISCARD_LIMIT_MS = 5000;

/**
 * Ends the connection after this answer without making the client miss it. A client that writes
 * its whole body before reading (Python's urllib, many HTTP/1.0-style clients) would get a reset
 * instead of the answer if the socket closed with its body unread; a keep-alive client would make
 * the server read an unbounded body to reuse the connection. So: `Connection: close`, the answer,
 * then the rest of the body is read and dropped (at most DISCARD_LIMIT_BYTES, DISCARD_LIMIT_MS)
 * before the socket closes: the "lingering close" of Apache and nginx. Call before the answer is
 * written.
 */
export function closeAfterDiscarding(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  const req = res.req;
  if (req.complete) return;
  const socket = req.socket;
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_BYTES) socket.destroy();
  });
  req.resume();
  // Node closes a `Connection: close` socket with destroySoon() once the answer is written; that
  // close is held back until the body has been read (or the limits are reached).
  const destroySoon = socket.destroySoon.bind(socket);
  socket.destroySoon = () => {
    if (req.complete) return destroySoon();
    socket.end();
    const timer = setTimeout(() => socket.destroy(), DISCARD_LIMIT_MS);
    const close = () => {
      clearTimeout(timer);
      socket.destroy();
    };
    req.once('end', close);
    socket.once('close', () => clearTimeout(timer));
  };
}
