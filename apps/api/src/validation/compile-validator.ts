import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';

/** One broken rule: the field's path in the body (`customers[3].time_spent`), the rule, the message. */
export interface ValidationIssue {
  field: string;
  rule: string;
  message: string;
}

export interface CompiledValidator {
  /**
   * Every broken rule of a parsed JSON value, as class-validator reports them for
   * `validateSync(plainToInstance(Class, value), { whitelist: true, forbidNonWhitelisted: true })`:
   * same rules, same messages, same order. Empty when the value is valid.
   */
  check(value: unknown): ValidationIssue[];
}

/** A class with validation decorators. */
type Constructor = new (...args: never[]) => object;

export interface CompileOptions {
  /** Properties left out of the contract: neither checked nor allowed. */
  omit?: readonly string[];
}

/**
 * class-validator stays the contract (its decorators also generate the OpenAPI document), but its
 * executor is slow for a 1000-row batch: it transforms every row into a class instance, looks the
 * metadata up again per object, and builds an error tree. This compiles the same metadata once
 * into plain closures over the same constraint implementations, for JSON values (objects, arrays
 * and primitives, as JSON.parse produces them). Anything it cannot mirror exactly (async rules,
 * groups, nested properties without @Type) is refused at compile time rather than checked
 * differently. Two deliberate differences: a key named like an inherited method (`toString`,
 * `__proto__`) is an unknown field here, where plainToInstance would drop it without a word; and
 * every element of a nested array must be an object (see checkNested).
 */
export function compileValidator(target: Constructor, options: CompileOptions = {}): CompiledValidator {
  const plans = new Map<Constructor, ClassPlan>();
  const root = planClass(target, plans, new Set(options.omit ?? []));
  return {
    check(value) {
      const issues: ValidationIssue[] = [];
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        issues.push({ field: '', rule: 'isObject', message: 'the request body must be a JSON object' });
      } else {
        checkObject(root, value as Record<string, unknown>, '', -1, issues);
      }
      return issues;
    },
  };
}

interface ClassPlan {
  name: string;
  properties: PropertyPlan[];
  known: Set<string>;
}

interface PropertyPlan {
  name: string;
  /** IsOptional and ValidateIf: when one says no, no rule of the property runs. */
  conditions: ((object: object, value: unknown) => boolean)[];
  rules: RulePlan[];
  /** ValidateNested: the class of the nested objects and the message for non-objects. */
  nested?: { plan: () => ClassPlan; metadata: MetadataLike };
}

interface RulePlan {
  rule: string;
  each: boolean;
  validateIf?: (object: object, value: unknown) => boolean;
  validate(value: unknown, args: ValidationArguments): unknown;
  defaultMessage?: (args: ValidationArguments) => string;
  metadata: MetadataLike;
  /** Reused on every call: the rules read it synchronously and keep no reference. */
  args: ValidationArguments;
}

type MetadataLike = {
  type: string;
  propertyName: string;
  constraints: unknown[];
  message?: string | ((args: ValidationArguments) => string);
  each?: boolean;
  groups?: string[];
  always?: boolean;
  constraintCls?: Constructor;
  validateIf?: (object: object, value: unknown) => boolean;
  target: Constructor | string;
};

function planClass(target: Constructor, plans: Map<Constructor, ClassPlan>, omit: Set<string>): ClassPlan {
  const cached = plans.get(target);
  if (cached) return cached;
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, '', false, false) as unknown as MetadataLike[];
  if (metadatas.length === 0) throw new Error(`compileValidator: ${target.name} has no validation decorators`);
  const plan: ClassPlan = { name: target.name, properties: [], known: new Set() };
  plans.set(target, plan);

  const byProperty = new Map<string, MetadataLike[]>();
  for (const m of metadatas) {
    if (omit.has(m.propertyName)) continue;
    if (m.groups && m.groups.length > 0) throw unsupported(target, m, 'validation groups');
    const list = byProperty.get(m.propertyName) ?? [];
    list.push(m);
    byProperty.set(m.propertyName, list);
  }
  for (const [name, list] of byProperty) {
    plan.known.add(name);
    const property: PropertyPlan = { name, conditions: [], rules: [] };
    // class-validator runs IsDefined before the other rules, whatever their order.
    const ordered = [
      ...list.filter((m) => m.type === ValidationTypes.IS_DEFINED),
      ...list.filter((m) => m.type !== ValidationTypes.IS_DEFINED),
    ];
    for (const m of ordered) {
      switch (m.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          property.conditions.push(m.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.NESTED_VALIDATION: {
          const type = defaultMetadataStorage.findTypeMetadata(target, name);
          if (!type) throw unsupported(target, m, '@ValidateNested() without @Type()');
          const nestedClass = type.typeFunction() as Constructor;
          let nestedPlan: ClassPlan | undefined;
          property.nested = { plan: () => (nestedPlan ??= planClass(nestedClass, plans, new Set())), metadata: m };
          break;
        }
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
        case ValidationTypes.IS_DEFINED:
          property.rules.push(planRule(storage, target, m));
          break;
        default:
          throw unsupported(target, m, `validation type ${m.type}`);
      }
    }
    plan.properties.push(property);
  }
  // Nested plans are built now, so that an unsupported nested class fails at compile time too.
  for (const p of plan.properties) p.nested?.plan();
  return plan;
}

function planRule(storage: ReturnType<typeof getMetadataStorage>, target: Constructor, m: MetadataLike): RulePlan {
  const constraints = storage.getTargetValidatorConstraints(m.constraintCls as Constructor);
  if (constraints.length !== 1) throw unsupported(target, m, `${constraints.length} constraint implementations`);
  const [constraint] = constraints;
  if (constraint.async) throw unsupported(target, m, 'an async rule');
  const instance = constraint.instance as {
    validate(value: unknown, args: ValidationArguments): unknown;
    defaultMessage?: (args: ValidationArguments) => string;
  };
  return {
    rule: constraint.name ?? m.type,
    each: m.each === true,
    validateIf: m.validateIf,
    validate: instance.validate.bind(instance),
    defaultMessage: typeof instance.defaultMessage === 'function' ? instance.defaultMessage.bind(instance) : undefined,
    metadata: m,
    args: { targetName: target.name, property: m.propertyName, object: {}, value: undefined, constraints: m.constraints },
  };
}

function unsupported(target: Constructor, m: MetadataLike, what: string): Error {
  return new Error(`compileValidator: ${target.name}.${m.propertyName} uses ${what}, which the compiled checker does not mirror`);
}

/**
 * Paths are only built for issues: a valid 1000-row batch builds none. An object's path is its
 * parent path plus, for an array element, its index.
 */
function objectPath(path: string, index: number): string {
  return index < 0 ? path : `${path}[${index}]`;
}

function checkObject(plan: ClassPlan, object: Record<string, unknown>, path: string, index: number, issues: ValidationIssue[]): void {
  for (const key in object) {
    if (!plan.known.has(key) && Object.hasOwn(object, key)) {
      issues.push({ field: join(objectPath(path, index), key), rule: ValidationTypes.WHITELIST, message: `property ${key} should not exist` });
    }
  }
  const properties = plan.properties;
  for (let i = 0; i < properties.length; i++) {
    const property = properties[i];
    checkProperty(plan, property, object, object[property.name], path, index, issues);
  }
}

function checkProperty(
  plan: ClassPlan,
  property: PropertyPlan,
  object: object,
  value: unknown,
  path: string,
  index: number,
  issues: ValidationIssue[],
): void {
  for (let c = 0; c < property.conditions.length; c++) {
    if (!property.conditions[c](object, value)) return;
  }
  const rules = property.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    if (rule.validateIf && !rule.validateIf(object, value)) continue;
    const args = rule.args;
    args.object = object;
    args.value = value;
    let valid: boolean;
    if (rule.each && Array.isArray(value)) {
      valid = true;
      for (let k = 0; k < value.length && valid; k++) valid = Boolean(rule.validate(value[k], args));
    } else {
      valid = Boolean(rule.validate(value, args));
    }
    if (!valid) {
      issues.push({ field: join(objectPath(path, index), property.name), rule: rule.rule, message: ruleMessage(plan, rule, object, value) });
    }
  }
  if (property.nested && value !== undefined) checkNested(property.nested, value, join(objectPath(path, index), property.name), -1, issues);
}

/**
 * ValidateNested: objects by their class, arrays element by element. One deliberate difference
 * from class-validator: an element of an array must be an object. class-validator validates an
 * array inside the array recursively, so `{"customers": [[]]}` would pass with no session in it,
 * and a deeply nested one would recurse as deep as the body goes.
 */
function checkNested(nested: NonNullable<PropertyPlan['nested']>, value: unknown, path: string, index: number, issues: ValidationIssue[]): void {
  if (Array.isArray(value)) {
    const here = objectPath(path, index);
    for (let i = 0; i < value.length; i++) {
      const element = value[i];
      if (typeof element === 'object' && element !== null && !Array.isArray(element)) {
        checkObject(nested.plan(), element as Record<string, unknown>, here, i, issues);
      } else {
        const kind = element === null ? 'null' : Array.isArray(element) ? 'an array' : `a ${typeof element}`;
        issues.push({ field: `${here}[${i}]`, rule: 'isObject', message: `each element of ${nested.metadata.propertyName} must be an object, got ${kind}` });
      }
    }
  } else if (typeof value === 'object' && value !== null) {
    checkObject(nested.plan(), value as Record<string, unknown>, path, index, issues);
  } else {
    const m = nested.metadata;
    const args: ValidationArguments = { targetName: 'Function', property: m.propertyName, object: m.target as object, value, constraints: m.constraints };
    issues.push({ field: objectPath(path, index), rule: ValidationTypes.NESTED_VALIDATION, message: replaceTokens(m.message ?? '', args) });
  }
}

function ruleMessage(plan: ClassPlan, rule: RulePlan, object: object, value: unknown): string {
  const args: ValidationArguments = {
    targetName: plan.name,
    property: rule.metadata.propertyName,
    object,
    value,
    constraints: rule.metadata.constraints,
  };
  const message = rule.metadata.message || (rule.defaultMessage ? rule.defaultMessage(args) : '');
  return replaceTokens(message, args);
}

/** The substitutions class-validator makes in a message ($constraint1, $value, $property, $target). */
function replaceTokens(message: string | ((args: ValidationArguments) => string), args: ValidationArguments): string {
  let text = typeof message === 'function' ? message(args) : message;
  if (!text) return text ?? '';
  if (Array.isArray(args.constraints)) {
    args.constraints.forEach((constraint, index) => {
      text = text.replace(new RegExp(`\\$constraint${index + 1}`, 'g'), constraintToString(constraint));
    });
  }
  const value = args.value;
  if (value !== undefined && value !== null && ['string', 'boolean', 'number'].includes(typeof value)) {
    text = text.replace(/\$value/g, value as string);
  }
  return text.replace(/\$property/g, args.property).replace(/\$target/g, args.targetName);
}

function constraintToString(constraint: unknown): string {
  if (Array.isArray(constraint)) return constraint.join(', ');
  if (typeof constraint === 'symbol') return `${constraint.description}`;
  return `${constraint}`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
