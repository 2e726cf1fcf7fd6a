import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_DEFAULTS, ConfigError, loadConfig } from './api-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 8000,
      host: '127.0.0.1',
      modelDir: 'models/current',
      modelVersion: undefined,
      modelName: 'purchase-intent',
      maxBatch: 1000,
      bodyLimitBytes: 1024 * 1024,
      corsOrigins: [],
      adminToken: undefined,
      logLevel: 'info',
      maxJsonDepth: 32,
      drainDelayMs: 5000,
      shutdownGraceMs: 10000,
      headersTimeoutMs: 10000,
      requestTimeoutMs: 30000,
      keepAliveTimeoutMs: 65000,
      maxHeadersCount: 100,
      maxHeaderBytes: 16384,
      maxConnections: 1024,
      allowSchemaChange: false,
      workers: 1,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      MODEL_DIR: '/srv/models/current',
      MODEL_NAME: 'purchase-v2',
      MAX_BATCH: '50',
      BODY_LIMIT: '256kb',
      CORS_ORIGINS: 'https://shop.example, http://localhost:3000',
      ADMIN_TOKEN: 'a-long-enough-secret',
      LOG_LEVEL: 'warn',
      MAX_JSON_DEPTH: '16',
      DRAIN_DELAY_MS: '0',
      SHUTDOWN_GRACE_MS: '2500',
      HEADERS_TIMEOUT_MS: '5000',
      REQUEST_TIMEOUT_MS: '20000',
      KEEP_ALIVE_TIMEOUT_MS: '0',
      MAX_HEADERS_COUNT: '50',
      MAX_HEADER_BYTES: '8192',
      MAX_CONNECTIONS: '200',
      ALLOW_SCHEMA_CHANGE: 'true',
      WORKERS: '3',
    });
    expect(config).toEqual({
      port: 9000,
      host: '0.0.0.0',
      modelDir: '/srv/models/current',
      modelName: 'purchase-v2',
      maxBatch: 50,
      bodyLimitBytes: 256 * 1024,
      corsOrigins: ['https://shop.example', 'http://localhost:3000'],
      adminToken: 'a-long-enough-secret',
      logLevel: 'warn',
      maxJsonDepth: 16,
      drainDelayMs: 0,
      shutdownGraceMs: 2500,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 20000,
      keepAliveTimeoutMs: 0,
      maxHeadersCount: 50,
      maxHeaderBytes: 8192,
      maxConnections: 200,
      allowSchemaChange: true,
      workers: 3,
    });
  });

  it('treats empty variables as unset and "*" as any origin', () => {
    expect(loadConfig({ PORT: '', ADMIN_TOKEN: '', CORS_ORIGINS: '*' })).toMatchObject({ port: 8000, adminToken: undefined, corsOrigins: ['*'] });
    expect(loadConfig({ BODY_LIMIT: '2048' }).bodyLimitBytes).toBe(2048);
    expect(loadConfig({ BODY_LIMIT: '2MB' }).bodyLimitBytes).toBe(2 * 1024 * 1024);
  });

  it('names every bad variable at once', () => {
    expect(
      problemsOf({
        PORT: '80a',
        MAX_BATCH: '0',
        BODY_LIMIT: '1gb',
        CORS_ORIGINS: 'shop.example',
        ADMIN_TOKEN: 'short',
        LOG_LEVEL: 'verbose',
        MODEL_NAME: '../x',
        SHUTDOWN_GRACE_MS: '-1',
      }),
    ).toEqual([
      'PORT must be an integer from 0 to 65535, got "80a"',
      'MODEL_NAME must be letters, digits, ".", "_" or "-" (at most 64), got "../x"',
      'MAX_BATCH must be an integer from 1 to 100000, got "0"',
      'BODY_LIMIT must be a size such as 1048576, 512kb or 1mb, at most 100mb, got "1gb"',
      'CORS_ORIGINS entries must look like https://example.com[:port] (no path), got "shop.example"',
      'ADMIN_TOKEN must be at least 16 characters without spaces (or unset to disable /admin/reload)',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
      'SHUTDOWN_GRACE_MS must be an integer from 0 to 600000, got "-1"',
    ]);
  });

  it('refuses HTTP limits Node would refuse or that make no sense', () => {
    expect(problemsOf({ HEADERS_TIMEOUT_MS: '40000', REQUEST_TIMEOUT_MS: '30000', MAX_JSON_DEPTH: '2', MAX_CONNECTIONS: '0', ALLOW_SCHEMA_CHANGE: 'yes', WORKERS: '0' })).toEqual([
      'MAX_JSON_DEPTH must be an integer from 4 to 1000, got "2"',
      'HEADERS_TIMEOUT_MS (40000) must not be larger than REQUEST_TIMEOUT_MS (30000)',
      'MAX_CONNECTIONS must be an integer from 1 to 1000000, got "0"',
      'ALLOW_SCHEMA_CHANGE must be true or false, got "yes"',
      'WORKERS must be "auto" or an integer from 1 to 256, got "0"',
    ]);
  });

  it('pins MODEL_VERSION beside MODEL_DIR, and refuses a name that is no version', () => {
    expect(loadConfig({ MODEL_DIR: '/srv/models/current', MODEL_VERSION: '20261201-120000-abc123' })).toMatchObject({
      modelDir: '/srv/models/20261201-120000-abc123',
      modelVersion: '20261201-120000-abc123',
    });
    expect(problemsOf({ MODEL_VERSION: '../etc' })).toEqual(['MODEL_VERSION must be a bundle version (letters, digits, ".", "_" or "-", not "current"), got "../etc"']);
    expect(problemsOf({ MODEL_VERSION: 'current' })).toHaveLength(1);
  });

  it('reads WORKERS=auto as the number of cores', () => {
    expect(loadConfig({ WORKERS: 'auto' }).workers).toBe(availableParallelism());
    expect(problemsOf({ WORKERS: 'all' })).toEqual(['WORKERS must be "auto" or an integer from 1 to 256, got "all"']);
  });

  it('formats the problems as one readable message', () => {
    expect(() => loadConfig({ PORT: '70000', CORS_ORIGINS: '*,https://a.example' })).toThrow(
      'invalid configuration:\n  - PORT must be an integer from 0 to 65535, got "70000"\n  - CORS_ORIGINS is either "*" or a list of origins, not both',
    );
  });
});

describe('env.example', () => {
  const lines = readFileSync(path.resolve(__dirname, '../../../../env.example'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l));
  const example = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

  it('lists every variable the service reads', () => {
    expect(Object.keys(example).sort()).toEqual([...Object.keys(CONFIG_DEFAULTS), 'ADMIN_TOKEN'].sort());
  });

  it('states the defaults', () => {
    expect(loadConfig(example)).toEqual(loadConfig({}));
  });
});
