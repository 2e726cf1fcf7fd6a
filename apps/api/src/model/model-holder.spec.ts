import type { Prediction, PredictorInfo } from '@purchase/inference';
import type { DatasetSpec } from '@purchase/inference';
import pino from 'pino';
import { specNamed } from '../test-fixtures/contracts';
import { ModelHolder, ModelRefusedError, type ModelEvent, type ModelHolderOptions } from './model-holder';
import type { ServedModel } from './served-model';

/** A stand-in model for the holder's own logic: a constant probability, and a record of disposal. */
class ConstantModel implements ServedModel {
  disposed = false;
  readonly info: PredictorInfo;
  readonly scored: unknown[] = [];
  constructor(
    version: string,
    private readonly probability: number,
    readonly spec: DatasetSpec = specNamed('customer-sessions'),
  ) {
    const features = spec.columns.map((c) => c.name);
    this.info = {
      version,
      model_type: 'logistic_regression',
      candidate: 'lr',
      features,
      encoded_features: features,
      threshold: 0.5,
      threshold_rule: 'fixed',
      calibration: 'none',
      created_at: '2025-01-01T00:00:00.000Z',
      metrics: {},
      dataset: { spec: 'test', file: 'test.csv', rows: 10, target: 'purchase', positive: '1' },
    };
  }
  predictChecked(records: readonly unknown[]): Prediction[] {
    this.scored.push(...records);
    return records.map(() => ({ purchase_probability: this.probability, purchase_prediction: 0, prediction_confidence: 'low' }));
  }
  dispose(): void {
    this.disposed = true;
  }
}

const silent = pino({ level: 'silent' });

function holderWith(
  load: (dir: string) => Promise<ServedModel>,
  options: Partial<ModelHolderOptions> = {},
): { holder: ModelHolder; events: ModelEvent[] } {
  const holder = new ModelHolder({ dir: '/models/current', load, logger: silent, ...options });
  const events: ModelEvent[] = [];
  holder.onEvent((e) => events.push(e));
  return { holder, events };
}

describe('ModelHolder', () => {
  it('has no model until the first reload, then serves it', async () => {
    const v1 = new ConstantModel('v1', 0.2);
    const { holder, events } = holderWith(async () => v1);
    expect(holder.current).toBeUndefined();
    await expect(holder.reload()).resolves.toEqual({ version: 'v1', previous_version: null });
    expect(holder.current).toBe(v1);
    expect(events).toEqual([{ outcome: 'loaded', model: v1, contract: holder.contract }]);
    expect(holder.contract?.spec).toBe(v1.spec);
    expect(holder.acquire()?.contract).toBe(holder.contract);
  });

  it('scores the probes of the contract before serving: a complete session and one with every imputed field missing', async () => {
    const v1 = new ConstantModel('v1', 0.2);
    const { holder } = holderWith(async () => v1);
    await holder.reload();
    expect(v1.scored).toEqual(holder.contract?.probes());
    expect(v1.scored[1]).toMatchObject({ time_spent: null, pages_viewed: null, basket_value: null, device_type: null, customer_type: null });
  });

  it('swaps in the new model and disposes the old one', async () => {
    const models = [new ConstantModel('v1', 0.2), new ConstantModel('v2', 0.3)];
    const { holder } = holderWith(async () => models.shift() as ServedModel);
    const v1 = (await holder.reload(), holder.current) as ConstantModel;
    await expect(holder.reload()).resolves.toEqual({ version: 'v2', previous_version: 'v1' });
    expect(holder.current?.info.version).toBe('v2');
    expect(v1.disposed).toBe(true);
  });

  it('keeps a leased model until its last lease is released, then disposes it', async () => {
    const models = [new ConstantModel('v1', 0.2), new ConstantModel('v2', 0.3)];
    const { holder } = holderWith(async () => models.shift() as ServedModel);
    await holder.reload();
    const first = holder.acquire()!;
    const second = holder.acquire()!;
    const v1 = first.model as ConstantModel;
    await holder.reload();
    expect(holder.acquire()?.model.info.version).toBe('v2');
    expect(first.model).toBe(v1);
    first.release();
    first.release(); // a second release of the same lease counts once
    expect(v1.disposed).toBe(false);
    second.release();
    expect(v1.disposed).toBe(true);
  });

  it('leases nothing before the first model', () => {
    const { holder } = holderWith(async () => new ConstantModel('v1', 0.5));
    expect(holder.acquire()).toBeUndefined();
  });

  it('refuses a bundle that fails to load and keeps serving the old model', async () => {
    const v1 = new ConstantModel('v1', 0.2);
    let load = async (): Promise<ServedModel> => v1;
    const { holder, events } = holderWith(() => load());
    await holder.reload();
    load = async () => {
      throw new Error('bundle /models/current is invalid: pipeline.json does not match its SHA-256 in manifest.json');
    };
    const refused = holder.reload();
    await expect(refused).rejects.toThrow(
      'refused the model bundle at /models/current: bundle /models/current is invalid: pipeline.json does not match its SHA-256 in manifest.json',
    );
    await expect(refused).rejects.toBeInstanceOf(ModelRefusedError);
    expect(holder.current).toBe(v1);
    expect(v1.disposed).toBe(false);
    expect(events.map((e) => e.outcome)).toEqual(['loaded', 'refused']);
  });

  it('refuses a model whose probabilities are not in [0, 1], and disposes it', async () => {
    const bad = new ConstantModel('bad', Number.NaN);
    const { holder } = holderWith(async () => bad);
    await expect(holder.reload()).rejects.toThrow(
      "refused the model bundle at /models/current: the model's purchase_probability for probe session 1 is NaN, not a number in [0, 1]",
    );
    expect(holder.current).toBeUndefined();
    expect(bad.disposed).toBe(true);
  });

  it('refuses a bundle whose request contract differs from the one in service, naming the fields, and keeps serving', async () => {
    const models = [new ConstantModel('v1', 0.5), new ConstantModel('uci', 0.5, specNamed('online-shoppers'))];
    const { holder } = holderWith(async () => models.shift() as ServedModel);
    await holder.reload();
    const served = holder.contract;
    const refused = holder.reload();
    await expect(refused).rejects.toThrow(
      'refused the model bundle at /models/current: its request contract (spec "online-shoppers") differs from the one in service (spec "customer-sessions"): ' +
        'customer_id removed, time_spent removed, pages_viewed removed, basket_value removed, device_type removed, customer_type removed, id added, ' +
        'Administrative added, Administrative_Duration added, Informational added, Informational_Duration added, ProductRelated added, and 12 more; ' +
        'clients are built against the contract, so it is refused (set ALLOW_SCHEMA_CHANGE=true to accept a new contract)',
    );
    expect(holder.current?.info.version).toBe('v1');
    expect(holder.contract).toBe(served);
  });

  it('accepts a new contract with allowSchemaChange, and serves the new one', async () => {
    const uci = new ConstantModel('uci', 0.5, specNamed('online-shoppers'));
    const models = [new ConstantModel('v1', 0.5), uci];
    const { holder } = holderWith(async () => models.shift() as ServedModel, { allowSchemaChange: true });
    await holder.reload();
    await expect(holder.reload()).resolves.toEqual({ version: 'uci', previous_version: 'v1' });
    expect(holder.contract?.spec.name).toBe('online-shoppers');
    expect(holder.contract?.fields.map((f) => f.name)).toEqual(uci.info.features);
  });

  it('keeps the contract in service when the new bundle has the same spec', async () => {
    const models = [new ConstantModel('v1', 0.5), new ConstantModel('v2', 0.5, specNamed('customer-sessions'))];
    const { holder } = holderWith(async () => models.shift() as ServedModel);
    await holder.reload();
    const first = holder.contract;
    await holder.reload();
    expect(holder.current?.info.version).toBe('v2');
    expect(holder.contract).toBe(first);
  });

  it('prepares a bundle without serving it, then commits it', async () => {
    const models = [new ConstantModel('v1', 0.2), new ConstantModel('v2', 0.3)];
    const { holder } = holderWith(async () => models.shift() as ServedModel);
    await holder.reload();
    const prepared = await holder.prepare('/models/v2');
    expect(prepared.version).toBe('v2');
    expect(holder.current?.info.version).toBe('v1');
    expect(prepared.commit()).toEqual({ version: 'v2', previous_version: 'v1' });
    expect(holder.current?.info.version).toBe('v2');
    expect(() => prepared.commit()).toThrow('this prepared model was already committed or aborted');
  });

  it('disposes an aborted bundle and keeps serving; reloads wait for the prepared one to settle', async () => {
    const v1 = new ConstantModel('v1', 0.2);
    const v2 = new ConstantModel('v2', 0.3);
    const models = [v1, v2, new ConstantModel('v3', 0.4)];
    const { holder } = holderWith(async () => models.shift() as ServedModel);
    await holder.reload();
    const prepared = await holder.prepare('/models/v2');
    let reloaded = false;
    const reload = holder.reload().then((o) => ((reloaded = true), o));
    await new Promise((r) => setTimeout(r, 20));
    expect(reloaded).toBe(false);
    prepared.abort();
    expect(v2.disposed).toBe(true);
    expect(holder.current).toBe(v1);
    await expect(reload).resolves.toEqual({ version: 'v3', previous_version: 'v1' });
  });

  it('refuses to prepare a bundle it would refuse to reload, and moves on', async () => {
    const models = [new ConstantModel('v1', 0.2), new ConstantModel('bad', Number.NaN), new ConstantModel('v3', 0.4)];
    const { holder } = holderWith(async () => models.shift() as ServedModel);
    await holder.reload();
    await expect(holder.prepare('/models/bad')).rejects.toThrow(
      "refused the model bundle at /models/bad: the model's purchase_probability for probe session 1 is NaN, not a number in [0, 1]",
    );
    await expect(holder.reload()).resolves.toEqual({ version: 'v3', previous_version: 'v1' });
  });

  it('builds the contract with the configured batch limit', async () => {
    const { holder } = holderWith(async () => new ConstantModel('v1', 0.5), { maxBatch: 7 });
    await holder.reload();
    expect(holder.contract?.maxBatch).toBe(7);
  });

  it('runs reloads one at a time, in the order asked', async () => {
    const order: string[] = [];
    let n = 0;
    const { holder } = holderWith(async () => {
      const version = `v${++n}`;
      order.push(`start ${version}`);
      await new Promise((r) => setTimeout(r, version === 'v1' ? 30 : 1));
      order.push(`end ${version}`);
      return new ConstantModel(version, 0.5);
    });
    const [a, b] = await Promise.all([holder.reload(), holder.reload()]);
    expect(order).toEqual(['start v1', 'end v1', 'start v2', 'end v2']);
    expect([a.version, b.version]).toEqual(['v1', 'v2']);
    expect(holder.current?.info.version).toBe('v2');
  });
});
