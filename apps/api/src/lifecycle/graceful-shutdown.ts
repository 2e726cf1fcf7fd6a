import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Lifecycle } from './lifecycle';

/** How often idle keep-alive connections are closed while requests drain. */
const SWEEP_MS = 50;

/**
 * Stops the server without cutting answers short: readiness turns 503, the listener closes (no new
 * connections), every idle keep-alive connection is closed, and connections still answering a
 * request are closed as soon as they go idle. After `graceMs` the remaining connections are cut.
 * Resolves when the server is closed; `forced` counts the connections that had to be cut.
 */
export async function shutDownGracefully(
  server: Server,
  options: { lifecycle: Lifecycle; graceMs: number; logger: Logger },
): Promise<{ forced: boolean }> {
  const { lifecycle, graceMs, logger } = options;
  lifecycle.startDraining();
  logger.info({ grace_ms: graceMs }, 'shutting down: no new connections, finishing requests in flight');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
  let forced = false;
  const deadline = setTimeout(() => {
    forced = true;
    logger.warn({ grace_ms: graceMs }, 'grace period over: closing the connections still open');
    server.closeAllConnections();
  }, graceMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
  logger.info({ forced }, 'server closed');
  return { forced };
}
