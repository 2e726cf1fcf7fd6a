import { rmSync } from 'node:fs';

/** Removes the models directory global-setup trained into (not a bundle given from outside). */
export default function globalTeardown(): void {
  const out = process.env.API_TEST_TRAINED_OUT;
  if (out) rmSync(out, { recursive: true, force: true });
}
