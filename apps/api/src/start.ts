/**
 * npm start: reads the configuration (env.example lists it), trains the default model if there is
 * none yet, loads it, and serves. SIGHUP reloads the model; SIGTERM and SIGINT shut down
 * gracefully. JSON logs go to stdout; the line with the URL of the docs goes to stderr. With
 * WORKERS=N (N > 1) this process is the primary of N node:cluster workers (cluster/*.ts), each of
 * which serves as a single process does.
 */
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { format } from 'node:util';
import pino from 'pino';
import { PurchasePredictor } from '@purchase/inference';
import { ClusterPrimary } from './cluster/cluster-primary';
import { WORKER_BUNDLE_ENV } from './cluster/cluster-protocol';
import { ClusterWorker } from './cluster/cluster-worker';
import { ConfigError, loadConfig, type ApiConfig } from './config/api-config';
import { createApp } from './create-app';
import { createApiServer } from './http/create-api-server';
import { shutDownGracefully } from './lifecycle/graceful-shutdown';
import { ApiMetrics } from './http/metrics';
import { Lifecycle } from './lifecycle/lifecycle';
import { ModelHolder } from './model/model-holder';
import type { ModelSource } from './model/model-source';
import { SERVICE } from './service-identity';
import { ensureModel } from './startup/ensure-model';

async function main(): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${SERVICE.name}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  // A log line per request must not cost a write per request: lines are written asynchronously,
  // 4 KiB at a time, and at least every 250 ms when traffic is light.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
  const logger = pino({ level: config.logLevel, base: { service: SERVICE.name } }, destination);
  // A reader of stdout that went away must not take the service down with it.
  destination.on('error', () => undefined);
  // Exit only once the log lines written so far are out (an asynchronous write may be in flight),
  // but by `deadlineMs` at the latest.
  const exit = (code: number, deadlineMs = 2000) => {
    setTimeout(() => process.exit(code), deadlineMs);
    destination.once('close', () => process.exit(code));
    try {
      destination.end();
    } catch {
      process.exit(code);
    }
  };
  routeConsoleToLogger(logger);
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    exit(1);
  });

  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config, logger, exit);
  const worker = cluster.isWorker;

  // With WORKERS, the primary made sure of a model and names the bundle the service is on.
  if (!worker) await ensureModel(config.modelDir, logger);
  const holder = new ModelHolder({
    dir: config.modelDir,
    load: (dir) => PurchasePredictor.load(dir),
    logger,
    maxBatch: config.maxBatch,
    allowSchemaChange: config.allowSchemaChange,
  });
  const metrics = new ApiMetrics();
  const clusterWorker = worker ? new ClusterWorker(holder, metrics) : undefined;
  const models: ModelSource = clusterWorker ?? holder;
  // A bundle that cannot be served is logged by the holder; the service still starts, unready.
  const bundle = process.env[WORKER_BUNDLE_ENV];
  const firstLoad = worker && bundle ? holder.prepare(bundle).then((p) => p.commit()) : holder.reload();
  await firstLoad.catch(() => undefined);

  const lifecycle = new Lifecycle();
  const app = createApp({ predictorSource: models, config, logger, lifecycle, metrics, renderMetrics: clusterWorker && (() => clusterWorker.renderMetrics()) });
  const server = createApiServer(app, config);
  // Signals are handled from before the service listens: a signal that comes right after the
  // listening line must not meet Node's default (an exit without draining).
  process.on('SIGHUP', () => {
    logger.info('SIGHUP: reloading the model');
    models.reload().catch(() => undefined);
  });
  // A worker whose primary is gone stops at once: nothing would restart or reload it.
  if (worker) process.on('disconnect', () => stop('SIGINT'));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // SIGTERM is an orchestrator's: stay up, unready, while its load balancers stop sending.
    // SIGINT is a person at a terminal: no delay.
    const drainDelayMs = signal === 'SIGTERM' ? config.drainDelayMs : 0;
    const startedAt = Date.now();
    const { graceMs, flushMs } = shutdownBudget(config.shutdownGraceMs);
    // The process is gone by drain delay + grace whatever happens, log flush included.
    setTimeout(() => process.exit(1), drainDelayMs + config.shutdownGraceMs).unref();
    lifecycle.startDraining();
    logger.info({ signal, drain_delay_ms: drainDelayMs, grace_ms: config.shutdownGraceMs }, 'stopping: not ready, draining');
    setTimeout(() => {
      shutDownGracefully(server, { lifecycle, graceMs, logger }).then(
        () => exit(0, Math.max(1, drainDelayMs + config.shutdownGraceMs - (Date.now() - startedAt))),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          exit(1, flushMs);
        },
      );
    }, drainDelayMs);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const port = await listen(server, config.port, config.host);
  // Stopped while binding: the shutdown under way closes the listener.
  if (stopping) {
    server.close();
    return;
  }
  const url = serviceUrl(config.host, port);
  logger.info({ url, docs: `${url}/docs`, model_loaded: models.current !== undefined, ...(worker ? { worker: cluster.worker?.id } : {}) }, 'listening');
  if (!worker) process.stderr.write(`${SERVICE.name} ${SERVICE.version} listening on ${url} (API docs: ${url}/docs)\n`);
}

/**
 * The primary of WORKERS=N: makes sure of a model, forks the workers and relays signals to them
 * (SIGHUP: a reload every worker agrees on; SIGTERM, SIGINT: every worker drains and stops).
 */
async function runPrimary(config: ApiConfig, logger: pino.Logger, exit: (code: number, deadlineMs?: number) => void): Promise<void> {
  await ensureModel(config.modelDir, logger);
  const primary = new ClusterPrimary(config, logger);
  process.on('SIGHUP', () => {
    logger.info('SIGHUP: reloading the model in every worker');
    primary.reload().catch(() => undefined);
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const budget = (signal === 'SIGTERM' ? config.drainDelayMs : 0) + config.shutdownGraceMs;
    logger.info({ signal, workers: primary.workers.length }, 'stopping: every worker drains');
    primary.stop(signal, budget + 1000).then((code) => exit(code, 1000));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const { port } = await primary.start();
  const url = serviceUrl(config.host, port);
  logger.info({ url, docs: `${url}/docs`, workers: config.workers }, 'listening');
  process.stderr.write(`${SERVICE.name} ${SERVICE.version} listening on ${url} with ${config.workers} workers (API docs: ${url}/docs)\n`);
}

function serviceUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The shutdown grace split between the requests in flight and the log flush after them: the
 * flush gets a tenth of it, 1 s at most.
 */
function shutdownBudget(shutdownGraceMs: number): { graceMs: number; flushMs: number } {
  const flushMs = Math.min(1000, Math.floor(shutdownGraceMs / 10));
  return { graceMs: shutdownGraceMs - flushMs, flushMs };
}

/**
 * stdout carries JSON log lines only: libraries that print (tfjs names its backend with
 * console.info) are routed into the logger instead of breaking the stream for log collectors.
 */
function routeConsoleToLogger(logger: pino.Logger): void {
  console.log = console.info = (...args: unknown[]) => logger.info({ source: 'console' }, format(...args));
  console.warn = (...args: unknown[]) => logger.warn({ source: 'console' }, format(...args));
  console.error = (...args: unknown[]) => logger.error({ source: 'console' }, format(...args));
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(new Error(`cannot listen on ${host}:${port}: ${err.code ?? err.message}`));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${SERVICE.name}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
