import { checkBinaryInputs, checkProbabilities } from './check-binary-inputs';

const y = Uint8Array.from([0, 1, 1]);

describe('checkBinaryInputs', () => {
  it('accepts 0/1 labels with finite Float32 or Float64 scores', () => {
    expect(() => checkBinaryInputs(y, Float32Array.from([0.1, -2, 7]))).not.toThrow();
    expect(() => checkBinaryInputs(y, Float64Array.from([0.1, 0.2, 0.3]))).not.toThrow();
  });

  it('names the wrong type, length, label or score exactly', () => {
    expect(() => checkBinaryInputs([0, 1] as unknown as Uint8Array, Float64Array.from([0, 1]))).toThrow(
      new Error('y must be a Uint8Array of 0/1 labels'),
    );
    expect(() => checkBinaryInputs(y, [0.1, 0.2, 0.3] as unknown as Float64Array)).toThrow(
      new Error('scores must be a Float32Array or a Float64Array'),
    );
    expect(() => checkBinaryInputs(y, Float64Array.from([0.1, 0.2]))).toThrow(new Error('y has 3 labels, scores has 2 values'));
    expect(() => checkBinaryInputs(new Uint8Array(0), new Float64Array(0))).toThrow(new Error('y and scores are empty'));
    expect(() => checkBinaryInputs(Uint8Array.from([0, 2, 1]), Float64Array.from([0.1, 0.2, 0.3]))).toThrow(
      new Error('y[1] is 2, labels must be 0 or 1'),
    );
    expect(() => checkBinaryInputs(y, Float64Array.from([0.1, 0.2, NaN]))).toThrow(new Error('scores[2] is NaN, scores must be finite numbers'));
    expect(() => checkBinaryInputs(y, Float64Array.from([Infinity, 0.2, 0.3]))).toThrow(
      new Error('scores[0] is Infinity, scores must be finite numbers'),
    );
  });
});

describe('checkProbabilities', () => {
  it('rejects a score outside [0, 1] and says which metric needs probabilities', () => {
    expect(() => checkProbabilities(y, Float64Array.from([0, 1, 1.5]), 'log loss')).toThrow(
      new Error('scores[2] is 1.5, log loss needs probabilities in [0, 1]'),
    );
    expect(() => checkProbabilities(y, Float64Array.from([-0.1, 1, 0.5]), 'the Brier score')).toThrow(
      new Error('scores[0] is -0.1, the Brier score needs probabilities in [0, 1]'),
    );
    expect(() => checkProbabilities(y, Float64Array.from([0, 1, 0.5]), 'log loss')).not.toThrow();
  });
});
