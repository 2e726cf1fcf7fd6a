export interface LabelCheckOptions {
  /** How messages name the labels: "y" (the default), "validation y", "labels". */
  name?: string;
  /** What the labels pair with one to one, as messages name it: `{ count: X.rows, of: 'X', unit: 'rows' }`. */
  onePer?: { count: number; of: string; unit: string };
}

/** Checks 0/1 labels in a Uint8Array (and their count, with `onePer`); returns how many are 1. */
export function checkLabels(y: Uint8Array, options: LabelCheckOptions = {}): number {
  const { name = 'y', onePer } = options;
  if (!(y instanceof Uint8Array)) throw new Error(`${name} must be a Uint8Array of 0/1 labels`);
  if (onePer !== undefined && y.length !== onePer.count) {
    throw new Error(`${name} has ${y.length} labels, ${onePer.of} has ${onePer.count} ${onePer.unit}`);
  }
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 1) throw new Error(`${name}[${i}] is ${y[i]}, labels must be 0 or 1`);
    positives += y[i];
  }
  return positives;
}

/** Checks that `positives` of `total` labels leave both classes present: `what` needs them ("fitting", "ROC AUC"). */
export function checkBothClasses(positives: number, total: number, what: string): void {
  if (positives === 0 || positives === total) throw new Error(`${onlyOneClass(positives)}, ${what} needs both classes`);
}

/** Checks that at least one label is 1: `what` needs one ("average precision"). */
export function checkHasPositive(positives: number, what: string): void {
  if (positives === 0) throw new Error(`${onlyOneClass(0)}, ${what} needs at least one positive (1)`);
}

function onlyOneClass(positives: number): string {
  return `y has only ${positives === 0 ? 'negative (0)' : 'positive (1)'} labels`;
}
