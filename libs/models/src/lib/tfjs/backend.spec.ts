import * as tf from '@tensorflow/tfjs';
import { BACKEND_ENV_VAR, initBackend } from './backend';

describe('initBackend', () => {
  const lines: string[] = [];
  const log = (message: string, level: string) => lines.push(`${level}: ${message}`);
  afterEach(() => {
    delete process.env[BACKEND_ENV_VAR];
    lines.length = 0;
  });

  it(`rejects an unknown ${BACKEND_ENV_VAR}`, async () => {
    process.env[BACKEND_ENV_VAR] = 'gpu';
    await expect(initBackend({ log })).rejects.toThrow('PURCHASE_TF_BACKEND must be one of tensorflow, wasm, cpu; got "gpu"');
  });

  it(`uses the backend ${BACKEND_ENV_VAR} forces and says so`, async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';
    await expect(initBackend({ log })).resolves.toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(lines).toEqual(['info: tfjs backend: cpu (forced by PURCHASE_TF_BACKEND)']);
  });

  it('switches on request, and later calls without options keep the running backend', async () => {
    await expect(initBackend({ backend: 'wasm', log })).resolves.toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^info: tfjs backend: wasm \(SIMD (on|off), (single|multi)-threaded\)$/);
    await expect(initBackend({ log })).resolves.toBe('wasm');
    expect(lines).toHaveLength(1);
  });

  it('does not print the "install tfjs-node" banner on the cpu backend', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await initBackend({ backend: 'cpu', log });
      tf.tidy(() => tf.square(tf.tensor1d([1, 2, 3])).dataSync());
      expect(warn).not.toHaveBeenCalled();
      expect(lines).toEqual(['info: tfjs backend: cpu']);
    } finally {
      warn.mockRestore();
    }
  });
});
