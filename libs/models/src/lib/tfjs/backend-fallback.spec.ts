import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend';

// As if the wasm package were missing or its binary failed to load.
jest.mock('@tensorflow/tfjs-backend-wasm', () => {
  throw new Error('cannot load tfjs-backend-wasm.wasm');
});

it('falls back to the cpu backend with a notice when wasm does not start', async () => {
  const lines: string[] = [];
  await expect(initBackend({ log: (message, level) => lines.push(`${level}: ${message}`) })).resolves.toBe('cpu');
  expect(tf.getBackend()).toBe('cpu');
  expect(lines).toEqual([
    'warn: wasm backend did not start (cannot load tfjs-backend-wasm.wasm); falling back to the slower pure-JS cpu backend',
    'info: tfjs backend: cpu',
  ]);
});
