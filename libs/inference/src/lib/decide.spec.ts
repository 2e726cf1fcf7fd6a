import { decide } from './decide';

describe('decide', () => {
  it('puts the band edges in the upper band: low < 0.3 <= medium < 0.7 <= high', () => {
    expect(decide(0, 0.5).prediction_confidence).toBe('low');
    expect(decide(0.29999, 0.5).prediction_confidence).toBe('low');
    expect(decide(0.3, 0.5).prediction_confidence).toBe('medium');
    expect(decide(0.69999, 0.5).prediction_confidence).toBe('medium');
    expect(decide(0.7, 0.5).prediction_confidence).toBe('high');
    expect(decide(1, 0.5).prediction_confidence).toBe('high');
  });

  it('labels 1 from the threshold up, whatever the band', () => {
    expect(decide(0.42, 0.42)).toEqual({ purchase_probability: 0.42, purchase_prediction: 1, prediction_confidence: 'medium' });
    expect(decide(0.41999, 0.42).purchase_prediction).toBe(0);
    expect(decide(0.2, 0.15)).toEqual({ purchase_probability: 0.2, purchase_prediction: 1, prediction_confidence: 'low' });
    expect(decide(0.8, 0.85)).toEqual({ purchase_probability: 0.8, purchase_prediction: 0, prediction_confidence: 'high' });
  });

  it('compares the float32 value a model returns, not a rounded one', () => {
    const p = new Float32Array([0.3])[0]; // 0.30000001192092896
    expect(decide(p, p).purchase_prediction).toBe(1);
    expect(decide(p, 0.3).prediction_confidence).toBe('medium');
    // float32(0.7) is 0.699999988..., the number a user is shown: its band agrees with it.
    expect(decide(new Float32Array([0.7])[0], 0.5).prediction_confidence).toBe('medium');
  });

  it('refuses what is not a probability', () => {
    expect(() => decide(Number.NaN, 0.5)).toThrow('purchase_probability must be in [0, 1], got NaN');
    expect(() => decide(1.5, 0.5)).toThrow('purchase_probability must be in [0, 1], got 1.5');
  });
});
