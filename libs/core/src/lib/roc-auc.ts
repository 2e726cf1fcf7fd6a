import { checkBinaryInputs, countPositives, type Scores } from './check-binary-inputs';
import { checkBothClasses } from './check-labels';

/**
 * ROC AUC: the chance that a random positive scores above a random negative, ties counting half;
 * equal to scikit-learn's `roc_auc_score` (the trapezoid over distinct scores) and to the
 * Mann-Whitney U statistic / (P N). The one implementation of the workspace: the forest's
 * out-of-bag score, the evaluation and the tests use it. Sorts the two classes' scores apart
 * (native numeric sorts) and merges: O(n log n), no comparator. Both classes must be present.
 */
export function rocAuc(y: Uint8Array, scores: Scores): number {
  checkBinaryInputs(y, scores);
  const labels = y;
  const nPos = countPositives(y);
  const nNeg = labels.length - nPos;
  checkBothClasses(nPos, labels.length, 'ROC AUC');
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(nNeg);
  for (let i = 0, p = 0, q = 0; i < labels.length; i++) {
    if (labels[i] === 1) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  pos.sort();
  neg.sort();
  // For each positive: negatives strictly below it count 1, equal ones 1/2.
  let below = 0;
  let upTo = 0;
  let wins = 0;
  for (let i = 0; i < nPos; i++) {
    const s = pos[i];
    while (below < nNeg && neg[below] < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < nNeg && neg[upTo] <= s) upTo++;
    wins += below + (upTo - below) / 2;
  }
  return wins / (nPos * nNeg);
}
