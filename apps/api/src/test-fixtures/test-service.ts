import { PurchasePredictor } from '@purchase/inference';
import pino from 'pino';
import { loadConfig, type ApiConfig } from '../config/api-config';
import { createApp } from '../create-app';
import { ApiMetrics } from '../http/metrics';
import type { ServiceListener } from '../http/service-listener';
import { Lifecycle } from '../lifecycle/lifecycle';
import { ModelHolder } from '../model/model-holder';
import type { ModelLoader } from '../model/served-model';

export type LogLine = Record<string, unknown> & { msg: string; level: number };

export interface TestService {
  /** The request listener start.ts serves (supertest takes it as it is). */
  app: ServiceListener;
  models: ModelHolder;
  lifecycle: Lifecycle;
  metrics: ApiMetrics;
  config: ApiConfig;
  /** Every log line written so far, parsed. */
  logs: LogLine[];
}

/**
 * The app as start.ts wires it, in process, with the logs captured. The model is loaded from
 * `modelDir` unless `loaded` is false; `load` replaces PurchasePredictor.load (fault injection).
 */
export async function testService(options: {
  modelDir: string;
  env?: Record<string, string>;
  loaded?: boolean;
  load?: ModelLoader;
  /** Off: every route through Express (the differential test compares both). */
  leanPostPath?: boolean;
}): Promise<TestService> {
  const config = loadConfig({ MODEL_DIR: options.modelDir, ...options.env });
  const logs: LogLine[] = [];
  const logger = pino({ level: config.logLevel }, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });
  const models = new ModelHolder({
    dir: config.modelDir,
    load: options.load ?? ((dir) => PurchasePredictor.load(dir)),
    logger,
    maxBatch: config.maxBatch,
    allowSchemaChange: config.allowSchemaChange,
  });
  if (options.loaded ?? true) await models.reload();
  const lifecycle = new Lifecycle();
  const metrics = new ApiMetrics({ processMetrics: false });
  const app = createApp({ predictorSource: models, config, logger, lifecycle, metrics, leanPostPath: options.leanPostPath });
  return { app, models, lifecycle, metrics, config, logs };
}
