import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/**
 * The problems of a response body against the class documenting it in the OpenAPI document
 * (unknown fields included): [] when the answer is what the docs say.
 */
export function nonConformities(cls: new () => object, body: unknown): string[] {
  const errors = validateSync(plainToInstance(cls, body) as object, { whitelist: true, forbidNonWhitelisted: true });
  return describe(errors, '');
}

function describe(errors: ValidationError[], path: string): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => `${path}${e.property}: ${m}`),
    ...describe(e.children ?? [], `${path}${e.property}.`),
  ]);
}
