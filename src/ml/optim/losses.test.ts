import { describe, expect, it } from 'vitest';
import { CrossEntropy } from './cross-entropy.js';
import { Hinge } from './losses.js';

describe('Hinge', () => {
  it('matches River’s docstring: loss(1, .2) = 0.8, gradient(1, .2) = -1', () => {
    const loss = new Hinge({ threshold: 1 });
    expect(loss.loss(true, 0.2)).toBe(0.8);
    expect(loss.gradient(true, 0.2)).toBe(-1);
  });

  it('has gradient -y up to and including the threshold, 0 beyond', () => {
    const perceptron = new Hinge({ threshold: 0 });
    expect(perceptron.gradient(true, 0)).toBe(-1);
    expect(perceptron.gradient(false, 0)).toBe(1);
    expect(perceptron.gradient(true, 0.1)).toBe(0);
    expect(perceptron.gradient(false, 0.1)).toBe(1);
    expect(new Hinge().toSpec()).toEqual({ type: 'Hinge', threshold: 1 });
  });
});

describe('CrossEntropy', () => {
  const yTrue = [0, 1, 2, 2];
  const yPred = [
    [0.29450637, 0.34216758, 0.36332605],
    [0.21290077, 0.32728332, 0.45981591],
    [0.42860913, 0.33380113, 0.23758974],
    [0.44941979, 0.32962558, 0.22095463],
  ];

  it('matches River’s docstring losses and gradients', () => {
    const loss = new CrossEntropy();
    const losses = [1.222454, 1.116929, 1.437209, 1.509797];
    const grads = [
      [-0.70549363, 0.34216758, 0.36332605],
      [0.21290077, -0.67271668, 0.45981591],
      [0.42860913, 0.33380113, -0.76241026],
      [0.44941979, 0.32962558, -0.77904537],
    ];
    yTrue.forEach((y, i) => {
      const probabilities = new Map(yPred[i].map((p, c) => [c, p] as const));
      // River's doctests compare to the printed decimals (pytest's NUMBER flag).
      expect(Math.abs(loss.loss(y, probabilities) - losses[i])).toBeLessThanOrEqual(1e-6);
      yPred[i].forEach((p, c) => expect(loss.gradientOf(y, p, c)).toBeCloseTo(grads[i][c], 8));
    });
  });

  it('weighs classes and clamps a missing probability to 1e-15', () => {
    const loss = new CrossEntropy({ classWeight: [['a', 2]] });
    expect(loss.gradientOf('a', 0, 'a')).toBe(2 * (1e-15 - 1));
    expect(loss.gradientOf('a', 0.5, 'b')).toBe(0.5);
    expect(loss.toSpec()).toEqual({ type: 'CrossEntropy', classWeight: [['a', 2]] });
  });
});
