import { availableParallelism } from 'node:os';
import path from 'node:path';
import { CURRENT_LINK, SAFE_NAME } from '@purchase/inference';
import type { LevelWithSilent } from 'pino';
import { DEFAULT_MAX_BATCH } from '../contract/serving-contract';

/** The service's settings, read from environment variables (see env.example at the repository root). */
export interface ApiConfig {
  port: number;
  host: string;
  /**
   * The bundle to serve; a symlink such as models/current is followed on every (re)load. With
   * MODEL_VERSION, the version of that name beside MODEL_DIR (models/<version>), pinned.
   */
  modelDir: string;
  /** MODEL_VERSION: the version pinned instead of MODEL_DIR's link; undefined when not pinned. */
  modelVersion: string | undefined;
  /** The model's name in the Open Inference Protocol routes (/v2/models/{name}). */
  modelName: string;
  maxBatch: number;
  bodyLimitBytes: number;
  /** Origins allowed by CORS: empty = CORS off, ['*'] = any origin. */
  corsOrigins: string[];
  /** Bearer token of POST /admin/reload; the route does not exist without one. */
  adminToken: string | undefined;
  logLevel: LevelWithSilent;
  /** Deepest nesting of arrays and objects in a request body. */
  maxJsonDepth: number;
  /** After SIGTERM, how long the service keeps serving while not ready, before it stops listening. */
  drainDelayMs: number;
  /** How long a SIGTERM then waits for requests in flight before closing their connections. */
  shutdownGraceMs: number;
  /** Time allowed to receive a request's headers, and the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  maxHeadersCount: number;
  maxHeaderBytes: number;
  /** Open connections at most; more are closed as they arrive. */
  maxConnections: number;
  /** Whether a reload may serve a bundle whose request contract differs from the one in service. */
  allowSchemaChange: boolean;
  /** Serving processes (node:cluster workers); 1 serves in the process itself. */
  workers: number;
}

export const CONFIG_DEFAULTS = {
  PORT: '8000',
  HOST: '127.0.0.1',
  MODEL_DIR: 'models/current',
  MODEL_VERSION: '',
  MODEL_NAME: 'purchase-intent',
  MAX_BATCH: String(DEFAULT_MAX_BATCH),
  BODY_LIMIT: '1mb',
  CORS_ORIGINS: '',
  LOG_LEVEL: 'info',
  MAX_JSON_DEPTH: '32',
  DRAIN_DELAY_MS: '5000',
  SHUTDOWN_GRACE_MS: '10000',
  HEADERS_TIMEOUT_MS: '10000',
  REQUEST_TIMEOUT_MS: '30000',
  KEEP_ALIVE_TIMEOUT_MS: '65000',
  MAX_HEADERS_COUNT: '100',
  MAX_HEADER_BYTES: '16384',
  MAX_CONNECTIONS: '1024',
  ALLOW_SCHEMA_CHANGE: 'false',
  WORKERS: '1',
} as const;

/** The most WORKERS may ask for. */
const MAX_WORKERS = 256;

const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const SAFE_MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const MIN_ADMIN_TOKEN = 16;

/** Every problem of the environment at once, so a misconfigured deployment is fixed in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks the configuration; throws a ConfigError naming each bad variable and why. */
export function loadConfig(env: Record<string, string | undefined>): ApiConfig {
  const problems: string[] = [];
  const read = (name: keyof typeof CONFIG_DEFAULTS): string => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? CONFIG_DEFAULTS[name] : value;
  };

  const port = parseInteger('PORT', read('PORT'), 0, 65535, problems);
  const host = read('HOST');
  const modelLink = read('MODEL_DIR');
  const pinned = env.MODEL_VERSION?.trim() || undefined;
  if (pinned !== undefined && (!SAFE_NAME.test(pinned) || pinned === CURRENT_LINK)) {
    problems.push(`MODEL_VERSION must be a bundle version (letters, digits, ".", "_" or "-", not "current"), got ${JSON.stringify(pinned)}`);
  }
  const modelDir = pinned === undefined ? modelLink : path.join(path.dirname(modelLink), pinned);
  const modelName = read('MODEL_NAME');
  if (!SAFE_MODEL_NAME.test(modelName)) {
    problems.push(`MODEL_NAME must be letters, digits, ".", "_" or "-" (at most 64), got ${JSON.stringify(modelName)}`);
  }
  const maxBatch = parseInteger('MAX_BATCH', read('MAX_BATCH'), 1, 100_000, problems);
  const bodyLimitBytes = parseByteSize('BODY_LIMIT', read('BODY_LIMIT'), problems);
  const corsOrigins = parseOrigins(read('CORS_ORIGINS'), problems);
  const adminToken = env.ADMIN_TOKEN === undefined || env.ADMIN_TOKEN === '' ? undefined : env.ADMIN_TOKEN;
  if (adminToken !== undefined && (adminToken.length < MIN_ADMIN_TOKEN || /\s/.test(adminToken))) {
    problems.push(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN} characters without spaces (or unset to disable /admin/reload)`);
  }
  const logLevel = read('LOG_LEVEL') as LevelWithSilent;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  const maxJsonDepth = parseInteger('MAX_JSON_DEPTH', read('MAX_JSON_DEPTH'), 4, 1000, problems);
  const drainDelayMs = parseInteger('DRAIN_DELAY_MS', read('DRAIN_DELAY_MS'), 0, 600_000, problems);
  const shutdownGraceMs = parseInteger('SHUTDOWN_GRACE_MS', read('SHUTDOWN_GRACE_MS'), 0, 600_000, problems);
  const headersTimeoutMs = parseInteger('HEADERS_TIMEOUT_MS', read('HEADERS_TIMEOUT_MS'), 1000, 600_000, problems);
  const requestTimeoutMs = parseInteger('REQUEST_TIMEOUT_MS', read('REQUEST_TIMEOUT_MS'), 1000, 3_600_000, problems);
  if (headersTimeoutMs > requestTimeoutMs) {
    problems.push(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not be larger than REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  const keepAliveTimeoutMs = parseInteger('KEEP_ALIVE_TIMEOUT_MS', read('KEEP_ALIVE_TIMEOUT_MS'), 0, 3_600_000, problems);
  const maxHeadersCount = parseInteger('MAX_HEADERS_COUNT', read('MAX_HEADERS_COUNT'), 10, 2000, problems);
  const maxHeaderBytes = parseInteger('MAX_HEADER_BYTES', read('MAX_HEADER_BYTES'), 1024, 1024 * 1024, problems);
  const maxConnections = parseInteger('MAX_CONNECTIONS', read('MAX_CONNECTIONS'), 1, 1_000_000, problems);
  const allowSchemaChange = parseBoolean('ALLOW_SCHEMA_CHANGE', read('ALLOW_SCHEMA_CHANGE'), problems);
  const workersText = read('WORKERS');
  const workers = workersText === 'auto' ? availableParallelism() : /^\d+$/.test(workersText) ? Number(workersText) : NaN;
  if (!(workers >= 1 && workers <= MAX_WORKERS)) problems.push(`WORKERS must be "auto" or an integer from 1 to ${MAX_WORKERS}, got ${JSON.stringify(workersText)}`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    modelDir,
    modelVersion: pinned,
    modelName,
    maxBatch,
    bodyLimitBytes,
    corsOrigins,
    adminToken,
    logLevel,
    maxJsonDepth,
    drainDelayMs,
    shutdownGraceMs,
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs,
    maxHeadersCount,
    maxHeaderBytes,
    maxConnections,
    allowSchemaChange,
    workers,
  };
}

/** "true" or "false", nothing else: a typo must not silently mean either. */
function parseBoolean(name: string, text: string, problems: string[]): boolean {
  if (text === 'true') return true;
  if (text !== 'false') problems.push(`${name} must be true or false, got ${JSON.stringify(text)}`);
  return false;
}

function parseInteger(name: string, text: string, min: number, max: number, problems: string[]): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2 };

/** "1048576", "512kb", "1mb" (binary units, as body-parser reads them). */
function parseByteSize(name: string, text: string, problems: string[]): number {
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(text);
  const bytes = match ? Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()] : NaN;
  if (!(bytes >= 1 && bytes <= 100 * 1024 ** 2)) {
    problems.push(`${name} must be a size such as 1048576, 512kb or 1mb, at most 100mb, got ${JSON.stringify(text)}`);
  }
  return bytes;
}

/** A comma-separated list of origins (scheme://host[:port]) or "*". */
function parseOrigins(text: string, problems: string[]): string[] {
  const origins = text.split(',').map((o) => o.trim()).filter((o) => o !== '');
  if (origins.includes('*')) {
    if (origins.length > 1) problems.push('CORS_ORIGINS is either "*" or a list of origins, not both');
    return ['*'];
  }
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      problems.push(`CORS_ORIGINS entries must look like https://example.com[:port] (no path), got ${JSON.stringify(origin)}`);
    }
  }
  return origins;
}
