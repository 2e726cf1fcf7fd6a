import type { CandidateName } from './candidates';
import type { TrainingEvent } from './training-events';

/** The steps of a training, in the order they first happen. */
export const TRAINING_STEPS = ['read', 'split', 'pipeline', 'fit', 'score', 'evaluation', 'importance', 'report', 'publish'] as const;
export type TrainingStep = (typeof TRAINING_STEPS)[number];

/** Wall time of one step of a training; `candidate` for the steps done once per candidate. */
export interface StepTiming {
  step: TrainingStep;
  candidate?: CandidateName;
  seconds: number;
}

/** Times the steps of a training, keeps their timings and reports each as a 'step' event when it ends. */
export class StepClock {
  readonly timings: StepTiming[] = [];

  constructor(private readonly onEvent: (event: TrainingEvent) => void) {}

  time<T>(step: TrainingStep, run: () => T, candidate?: CandidateName): T {
    const started = performance.now();
    const result = run();
    this.record(step, candidate, started);
    return result;
  }

  async timeAsync<T>(step: TrainingStep, run: () => Promise<T>, candidate?: CandidateName): Promise<T> {
    const started = performance.now();
    const result = await run();
    this.record(step, candidate, started);
    return result;
  }

  private record(step: TrainingStep, candidate: CandidateName | undefined, started: number): void {
    const timing: StepTiming = { step, ...(candidate === undefined ? {} : { candidate }), seconds: (performance.now() - started) / 1000 };
    this.timings.push(timing);
    this.onEvent({ kind: 'step', ...timing });
  }
}
