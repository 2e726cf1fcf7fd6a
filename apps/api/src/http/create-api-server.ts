import { createServer, type Server } from 'node:http';
import type { ApiConfig } from '../config/api-config';
import { ApiError, clip } from '../errors/api-error';
import { continueWhenRead } from './read-json-body';
import type { ServiceListener } from './service-listener';

/** How often Node checks connections against HEADERS_TIMEOUT_MS and REQUEST_TIMEOUT_MS. */
const CONNECTIONS_CHECK_MS = 1000;

/**
 * The HTTP server of the service, with the limits a server facing the internet or a proxy needs
 * set explicitly (from the environment, see env.example): headers and whole-request timeouts,
 * the keep-alive timeout, header count and size, and a cap on open connections. Requests Node
 * itself refuses, an `Expect` other than 100-continue, and the 100-continue itself go through the
 * service's listener, so that every answer is in the one error shape: a client waiting for
 * `100 Continue` is told to continue only when its body is about to be read, never for a body
 * that would be refused (413, 415, 404, 503).
 */
export function createApiServer(listener: ServiceListener, config: ApiConfig): Server {
  const server = createServer({ maxHeaderSize: config.maxHeaderBytes, connectionsCheckingInterval: CONNECTIONS_CHECK_MS }, listener);
  server.headersTimeout = config.headersTimeoutMs;
  server.requestTimeout = config.requestTimeoutMs;
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  server.maxHeadersCount = config.maxHeadersCount;
  server.maxConnections = config.maxConnections;
  server.on('clientError', listener.answerClientError);
  server.on('checkContinue', (req, res) => {
    continueWhenRead(req, res);
    listener(req, res);
  });
  server.on('checkExpectation', (req, res) => {
    const expect = clip(String(req.headers.expect), 60);
    listener.refuse(req, res, new ApiError(417, 'expectation_failed', `the Expect header ${JSON.stringify(expect)} cannot be met; only 100-continue is supported`));
  });
  return server;
}
