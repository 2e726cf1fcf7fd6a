import { validateBinaryInputs, validateProbabilities } from './validate-binary-inputs';

const y = Uint8Array.from([0, 1, 1]);

describe('validateBinaryInputs', () => {
  it('accepts 0/1 labels with finite Float32 or Float64 scores', () => {
    expect(() => validateBinaryInputs(y, Float32Array.from([0.1, -2, 7]))).not.toThrow();
    expect(() => validateBinaryInputs(y, Float64Array.from([0.1, 0.2, 0.3]))).not.toThrow();
  });

  it('names the wrong type, length, label or score exactly', () => {
    expect(() => validateBinaryInputs([0, 1] as unknown as Uint8Array, Float64Array.from([0, 1]))).toThrow(
      'y must be a Uint8Array of 0/1 labels',
    );
    expect(() => validateBinaryInputs(y, [0.1, 0.2, 0.3] as unknown as Float64Array)).toThrow(
      'scores must be a Float32Array or a Float64Array',
    );
    expect(() => validateBinaryInputs(y, Float64Array.from([0.1, 0.2]))).toThrow(
      'y and scores must have the same length (y has 3, scores has 2)',
    );
    expect(() => validateBinaryInputs(new Uint8Array(0), new Float64Array(0))).toThrow('y and scores are empty');
    expect(() => validateBinaryInputs(Uint8Array.from([0, 2, 1]), Float64Array.from([0.1, 0.2, 0.3]))).toThrow(
      'y[1] is 2; labels must be 0 or 1',
    );
    expect(() => validateBinaryInputs(y, Float64Array.from([0.1, 0.2, NaN]))).toThrow(
      'scores[2] is NaN; scores must be finite numbers',
    );
    expect(() => validateBinaryInputs(y, Float64Array.from([Infinity, 0.2, 0.3]))).toThrow(
      'scores[0] is Infinity; scores must be finite numbers',
    );
  });
});

describe('validateProbabilities', () => {
  it('rejects a score outside [0, 1] and says which metric needs probabilities', () => {
    expect(() => validateProbabilities(y, Float64Array.from([0, 1, 1.5]), 'log loss')).toThrow(
      'scores[2] is 1.5; log loss needs probabilities in [0, 1]',
    );
    expect(() => validateProbabilities(y, Float64Array.from([-0.1, 1, 0.5]), 'the Brier score')).toThrow(
      'scores[0] is -0.1; the Brier score needs probabilities in [0, 1]',
    );
    expect(() => validateProbabilities(y, Float64Array.from([0, 1, 0.5]), 'log loss')).not.toThrow();
  });
});
