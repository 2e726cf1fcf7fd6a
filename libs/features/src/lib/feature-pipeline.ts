import { columnNamed, columnsFromRecords, type CodeArray, type DatasetColumns, type DatasetSpec, type Imputer, type RawRecord } from '@purchase/preprocessing';
import { SEGMENTS, segmentIndex, type SegmentMedians } from './behavioral-segment';
import { featureColumnNames } from './feature-columns';
import type { FeatureMatrix } from './feature-matrix';
import { fitPipelineState, type FittedState } from './fit-pipeline';
import { inverseRange, minMaxScale } from './min-max';
import { PIPELINE_FORMAT, PIPELINE_FORMAT_VERSION, type EngineeredState, type InputEncoding, type PipelineJSON } from './pipeline-format';
import { readPipelineJSON } from './read-pipeline-json';

/** A fill of NaN marks a "reject" rule: a missing value there was never validated away, and shows as NaN. */
const fillNumber = (v: number | string | boolean | null): number => (typeof v === 'number' ? v : typeof v === 'boolean' ? +v : NaN);

/**
 * The fitted pipeline from typed input records to the model matrix: imputation, min-max scaling
 * (clipped to [0, 1]), one-hot encoding (unseen -> Unknown) and the engineered features of the spec.
 * `fit` learns on training records; `transform*` only apply. A single record and a batch go through
 * the same loop, so they give the same bits. The transform allocates nothing per row: the plan below
 * is compiled once into typed arrays, and values pass through two preallocated scratch rows.
 *
 * Records are expected to have passed validateRecord / RowCoercer: a value of the wrong type reads as
 * NaN, and a category the spec does not list as Unknown.
 */
export class FeaturePipeline {
  readonly spec: DatasetSpec;
  readonly imputer: Imputer;
  readonly fittedRows: number;
  readonly columnNames: readonly string[];
  /** Number of model columns. */
  readonly width: number;
  private readonly inputs: readonly InputEncoding[];
  private readonly engineered: readonly EngineeredState[];

  // Numeric inputs: slot k holds the k-th number/integer column.
  private readonly numNames: string[] = [];
  private readonly numSlot = new Map<string, number>();
  private readonly numFill: Float64Array;
  private readonly numMin: Float64Array;
  private readonly numInv: Float64Array;
  private readonly numOut: Int32Array;
  // Category inputs: value -> absolute output column, the Unknown column, the fill's column (-1: reject).
  private readonly catNames: string[] = [];
  private readonly catColumns: Map<string, number>[] = [];
  private readonly catUnknown: Int32Array;
  private readonly catFill: Int32Array;
  private readonly catStart: Int32Array;
  private readonly catWidth: Int32Array;
  // Boolean inputs.
  private readonly boolNames: string[] = [];
  private readonly boolFill: Float64Array;
  private readonly boolOut: Int32Array;
  // Engineered: mean_of_scaled (inputs flattened: slots meanSlots[meanFrom[k]..meanFrom[k + 1]]).
  private readonly meanFrom: Int32Array;
  private readonly meanSlots: Int32Array;
  private readonly meanOut: Int32Array;
  // ratio_plus_one
  private readonly ratioNum: Int32Array;
  private readonly ratioDen: Int32Array;
  private readonly ratioMin: Float64Array;
  private readonly ratioInv: Float64Array;
  private readonly ratioOut: Int32Array;
  // behavioral_segment
  private readonly segTime: Int32Array;
  private readonly segPages: Int32Array;
  private readonly segBasket: Int32Array;
  private readonly segMedians: SegmentMedians[];
  private readonly segOut: Int32Array;
  // What the codes of a category or boolean column write, per column and levels array (planFor).
  private readonly codeOutputs = new Map<string, WeakMap<readonly (string | boolean)[], Int32Array | Float64Array>>();
  // Scratch rows: imputed raw values and their scaled values, per numeric slot.
  private readonly raw: Float64Array;
  private readonly scaled: Float64Array;

  private constructor(spec: DatasetSpec, state: FittedState) {
    this.spec = spec;
    this.imputer = state.imputer;
    this.fittedRows = state.imputer.fittedRows;
    this.inputs = state.inputs;
    this.engineered = state.engineered;
    this.columnNames = Object.freeze(featureColumnNames(state.inputs, state.engineered));
    this.width = this.columnNames.length;

    const num = { fill: [] as number[], min: [] as number[], inv: [] as number[], out: [] as number[] };
    const cat = { unknown: [] as number[], fill: [] as number[], start: [] as number[], width: [] as number[] };
    const bool = { fill: [] as number[], out: [] as number[] };
    let col = 0;
    for (const e of state.inputs) {
      const fill = state.imputer.fillFor(e.column);
      if (e.encoding === 'min_max') {
        this.numSlot.set(e.column, this.numNames.length);
        this.numNames.push(e.column);
        num.fill.push(fillNumber(fill));
        num.min.push(e.min);
        num.inv.push(inverseRange(e.min, e.max));
        num.out.push(col++);
      } else if (e.encoding === 'one_hot') {
        const columns = new Map(e.categories.map((c, i) => [c, col + i]));
        this.catNames.push(e.column);
        this.catColumns.push(columns);
        cat.unknown.push(col + e.categories.length - 1);
        cat.fill.push(typeof fill === 'string' ? (columns.get(fill) as number) : -1);
        cat.start.push(col);
        cat.width.push(e.categories.length);
        col += e.categories.length;
      } else {
        this.boolNames.push(e.column);
        bool.fill.push(fillNumber(fill));
        bool.out.push(col++);
      }
    }
    this.numFill = Float64Array.from(num.fill);
    this.numMin = Float64Array.from(num.min);
    this.numInv = Float64Array.from(num.inv);
    this.numOut = Int32Array.from(num.out);
    this.catUnknown = Int32Array.from(cat.unknown);
    this.catFill = Int32Array.from(cat.fill);
    this.catStart = Int32Array.from(cat.start);
    this.catWidth = Int32Array.from(cat.width);
    this.boolFill = Float64Array.from(bool.fill);
    this.boolOut = Int32Array.from(bool.out);

    const slot = (name: string) => this.numSlot.get(name) as number;
    const mean = { from: [0], slots: [] as number[], out: [] as number[] };
    const ratio = { num: [] as number[], den: [] as number[], min: [] as number[], inv: [] as number[], out: [] as number[] };
    const seg = { time: [] as number[], pages: [] as number[], basket: [] as number[], medians: [] as SegmentMedians[], out: [] as number[] };
    state.engineered.forEach((f, i) => {
      const declared = spec.engineered[i];
      if (f.kind === 'mean_of_scaled' && declared.kind === 'mean_of_scaled') {
        mean.slots.push(...declared.inputs.map(slot));
        mean.from.push(mean.slots.length);
        mean.out.push(col++);
      } else if (f.kind === 'ratio_plus_one' && declared.kind === 'ratio_plus_one') {
        ratio.num.push(slot(declared.numerator));
        ratio.den.push(slot(declared.denominator));
        ratio.min.push(f.min);
        ratio.inv.push(inverseRange(f.min, f.max));
        ratio.out.push(col++);
      } else if (f.kind === 'behavioral_segment' && declared.kind === 'behavioral_segment') {
        seg.time.push(slot(declared.time));
        seg.pages.push(slot(declared.pages));
        seg.basket.push(slot(declared.basket));
        seg.medians.push({ ...f.medians });
        seg.out.push(col);
        col += SEGMENTS.length;
      } else {
        throw new Error(`engineered feature ${i} is "${f.kind}" in the fitted state but "${declared.kind}" in the spec`);
      }
    });
    this.meanFrom = Int32Array.from(mean.from);
    this.meanSlots = Int32Array.from(mean.slots);
    this.meanOut = Int32Array.from(mean.out);
    this.ratioNum = Int32Array.from(ratio.num);
    this.ratioDen = Int32Array.from(ratio.den);
    this.ratioMin = Float64Array.from(ratio.min);
    this.ratioInv = Float64Array.from(ratio.inv);
    this.ratioOut = Int32Array.from(ratio.out);
    this.segTime = Int32Array.from(seg.time);
    this.segPages = Int32Array.from(seg.pages);
    this.segBasket = Int32Array.from(seg.basket);
    this.segMedians = seg.medians;
    this.segOut = Int32Array.from(seg.out);
    this.raw = new Float64Array(this.numNames.length);
    this.scaled = new Float64Array(this.numNames.length);
    if (col !== this.width) throw new Error(`internal: the plan fills ${col} columns, the names list ${this.width}`);
  }

  /** Fits imputation, scaling ranges and engineered-feature statistics on the training records. */
  static fit(spec: DatasetSpec, trainRecords: readonly RawRecord[]): FeaturePipeline {
    return FeaturePipeline.fitColumns(spec, columnsFromRecords(spec, trainRecords));
  }

  /** `fit` on the training rows of columns read by readDataset (`rows`, ascending; default all). */
  static fitColumns(spec: DatasetSpec, data: DatasetColumns, rows?: Uint32Array): FeaturePipeline {
    return new FeaturePipeline(spec, fitPipelineState(spec, data, rows));
  }

  /** Loads a pipeline saved with toJSON (after JSON.parse), checking every part; errors name `source`. */
  static fromJSON(json: unknown, source = 'feature pipeline'): FeaturePipeline {
    const { spec, ...state } = readPipelineJSON(json, source);
    return new FeaturePipeline(spec, state);
  }

  toJSON(): PipelineJSON {
    return {
      format: PIPELINE_FORMAT,
      formatVersion: PIPELINE_FORMAT_VERSION,
      spec: this.spec,
      imputer: this.imputer.toJSON(),
      fittedRows: this.fittedRows,
      inputs: this.inputs.map((e) => (e.encoding === 'one_hot' ? { ...e, categories: [...e.categories] } : { ...e })),
      engineered: this.engineered.map((f) => (f.kind === 'behavioral_segment' ? { ...f, medians: { ...f.medians } } : { ...f })),
      columnNames: [...this.columnNames],
    };
  }

  /** The model matrix of `records` (one row each). */
  transform(records: readonly RawRecord[]): FeatureMatrix {
    return this.transformColumns(columnsFromRecords(this.spec, records));
  }

  /**
   * The model matrix of rows `rows` of `data` (default all, in order), written once into one
   * Float32Array: a training transforms each split of its read straight from the columns. `out`,
   * when given, is that array (exactly rows x width values), e.g. one over shared memory.
   */
  transformColumns(data: DatasetColumns, rows?: Uint32Array, out?: Float32Array): FeatureMatrix {
    const n = rows === undefined ? data.rows : rows.length;
    if (out !== undefined && out.length !== n * this.width) {
      throw new Error(`out holds ${out.length} values; ${n} rows of ${this.width} columns need ${n * this.width}`);
    }
    out ??= new Float32Array(n * this.width);
    this.writeRows(data, rows, out, 0, true);
    return { data: out, rows: n, cols: this.width, columnNames: this.columnNames };
  }

  /** The model matrix of one record: the same loop as a batch, so the same numbers. */
  transformOne(record: RawRecord): FeatureMatrix {
    return this.transform([record]);
  }

  /**
   * Writes the rows of `records` into `out` (row-major, `width` columns) starting at row `rowOffset`,
   * for callers that reuse one buffer across batches. Only those rows of `out` are written.
   */
  transformInto(records: readonly RawRecord[], out: Float32Array, rowOffset = 0): void {
    const w = this.width;
    if (!Number.isInteger(rowOffset) || rowOffset < 0) throw new Error(`rowOffset must be an integer >= 0, got ${rowOffset}`);
    if ((rowOffset + records.length) * w > out.length) {
      const needed = rowOffset + records.length;
      throw new Error(`out has room for ${Math.floor(out.length / w)} rows of ${w} columns, ${needed} are needed (rowOffset ${rowOffset} + ${records.length} records)`);
    }
    this.writeRows(columnsFromRecords(this.spec, records), undefined, out, rowOffset, false);
  }

  /**
   * The transform loop, the only one: records become columns first (columnsFromRecords), so a
   * request and a training split are encoded by the same code. One-hot columns are set, not
   * cleared, so rows must start at 0 (`zeroed`: they do).
   */
  private writeRows(data: DatasetColumns, rows: Uint32Array | undefined, out: Float32Array, rowOffset: number, zeroed: boolean): void {
    const n = rows === undefined ? data.rows : rows.length;
    const w = this.width;
    if (!zeroed) out.fill(0, rowOffset * w, (rowOffset + n) * w);
    const { raw, scaled, numNames, numFill, numMin, numInv, numOut, catNames, catStart, catWidth } = this;
    const { boolNames, boolOut, meanFrom, meanSlots, meanOut, ratioNum, ratioDen, ratioMin, ratioInv, ratioOut } = this;
    const { segTime, segPages, segBasket, segMedians, segOut } = this;
    const plan = this.planFor(data);

    for (let i = 0; i < n; i++) {
      const r = rows === undefined ? i : rows[i];
      const base = (rowOffset + i) * w;
      for (let k = 0; k < numNames.length; k++) {
        const v = plan.numbers[k][r];
        // NaN is missing, imputed, unless it stands for a value of the wrong type (then it stays NaN).
        const x = v === v ? v : plan.numberInvalid[k]?.has(r) ? NaN : numFill[k];
        raw[k] = x;
        const s = minMaxScale(x, numMin[k], numInv[k]);
        scaled[k] = s;
        out[base + numOut[k]] = s;
      }
      for (let k = 0; k < catNames.length; k++) {
        const c = plan.categoryOut[k][plan.categories[k][r]];
        if (c >= 0) out[base + c] = 1;
        else out.fill(NaN, base + catStart[k], base + catStart[k] + catWidth[k]);
      }
      for (let k = 0; k < boolNames.length; k++) {
        const code = plan.booleans[k][r];
        out[base + boolOut[k]] = code === 0 && plan.booleanInvalid[k]?.has(r) ? NaN : plan.booleanOut[k][code];
      }
      for (let k = 0; k < meanOut.length; k++) {
        let sum = 0;
        for (let j = meanFrom[k]; j < meanFrom[k + 1]; j++) sum += scaled[meanSlots[j]];
        out[base + meanOut[k]] = sum / (meanFrom[k + 1] - meanFrom[k]);
      }
      for (let k = 0; k < ratioOut.length; k++) {
        out[base + ratioOut[k]] = minMaxScale(raw[ratioNum[k]] / (raw[ratioDen[k]] + 1), ratioMin[k], ratioInv[k]);
      }
      for (let k = 0; k < segOut.length; k++) {
        const time = raw[segTime[k]];
        const pages = raw[segPages[k]];
        const basket = raw[segBasket[k]];
        if (time === time && pages === pages && basket === basket) out[base + segOut[k] + segmentIndex(time, pages, basket, segMedians[k])] = 1;
        else out.fill(NaN, base + segOut[k], base + segOut[k] + SEGMENTS.length);
      }
    }
  }

  /**
   * Where each input of the pipeline is in `data`, and what each code of a category or boolean
   * column writes: the output column of a category code (its fill's for code 0; -1: a "reject"
   * fill, written as NaN), the value of a boolean code. Built per call, from the column names.
   */
  private planFor(data: DatasetColumns): TransformPlan {
    const numbers: Float64Array[] = [];
    const numberInvalid: (ReadonlyMap<number, unknown> | undefined)[] = [];
    for (const name of this.numNames) {
      const c = columnNamed(data, name);
      if (c.kind !== 'number') throw new Error(`column "${name}" must hold numbers for the pipeline, it holds codes`);
      numbers.push(c.values);
      numberInvalid.push(c.invalid);
    }
    const categories: CodeArray[] = [];
    const categoryOut: Int32Array[] = [];
    this.catNames.forEach((name, k) => {
      const c = columnNamed(data, name);
      if (c.kind !== 'code') throw new Error(`column "${name}" must hold category codes for the pipeline, it holds numbers`);
      categories.push(c.codes);
      categoryOut.push(this.codeOutput(name, c.levels, () => {
        const columns = this.catColumns[k];
        return Int32Array.from([this.catFill[k], ...c.levels.map((level) => (typeof level === 'string' ? (columns.get(level) ?? this.catUnknown[k]) : this.catUnknown[k]))]);
      }) as Int32Array);
    });
    const booleans: CodeArray[] = [];
    const booleanOut: Float64Array[] = [];
    const booleanInvalid: (ReadonlyMap<number, unknown> | undefined)[] = [];
    this.boolNames.forEach((name, k) => {
      const c = columnNamed(data, name);
      if (c.kind !== 'code') throw new Error(`column "${name}" must hold boolean codes for the pipeline, it holds numbers`);
      booleans.push(c.codes);
      booleanOut.push(this.codeOutput(name, c.levels, () => Float64Array.from([this.boolFill[k], ...c.levels.map((level) => (level === true ? 1 : level === false ? 0 : NaN))])) as Float64Array);
      booleanInvalid.push(c.invalid);
    });
    return { numbers, numberInvalid, categories, categoryOut, booleans, booleanOut, booleanInvalid };
  }

  /** What each code of column `name` writes, worked out once per levels array (one per spec: see columnsFromRecords). */
  private codeOutput(name: string, levels: readonly (string | boolean)[], make: () => Int32Array | Float64Array): Int32Array | Float64Array {
    let byLevels = this.codeOutputs.get(name);
    if (byLevels === undefined) this.codeOutputs.set(name, (byLevels = new WeakMap()));
    let out = byLevels.get(levels);
    if (out === undefined) byLevels.set(levels, (out = make()));
    return out;
  }
}

interface TransformPlan {
  numbers: Float64Array[];
  numberInvalid: (ReadonlyMap<number, unknown> | undefined)[];
  categories: CodeArray[];
  categoryOut: Int32Array[];
  booleans: CodeArray[];
  booleanOut: Float64Array[];
  booleanInvalid: (ReadonlyMap<number, unknown> | undefined)[];
}
