export interface InitialValues {
  /** The properties the class's field initialisers set to something other than undefined. */
  readonly set: ReadonlySet<string>;
  /** Of those, the ones that come out the same from every construction (not a Date or a random id), with their value. */
  readonly fixed: ReadonlyMap<string, unknown>;
}

const none: InitialValues = { set: new Set(), fixed: new Map() };
const cache = new WeakMap<Function, InitialValues>();

/**
 * What a DTO class's field initialisers give, read from `new Class()`. A field with an initial
 * value may be left out of the JSON (it keeps that value, as a pydantic field with a default
 * does), so the schema does not require it, and states a fixed one as its default. A class that
 * cannot be built without arguments has none.
 */
export function initialValues(type: Function): InitialValues {
  let initial = cache.get(type);
  if (initial === undefined) {
    initial = read(type as new () => Record<string, unknown>);
    cache.set(type, initial);
  }
  return initial;
}

function read(type: new () => Record<string, unknown>): InitialValues {
  let first: Record<string, unknown>;
  let second: Record<string, unknown>;
  try {
    first = new type();
    second = new type();
  } catch {
    return none;
  }
  const set = new Set<string>();
  const fixed = new Map<string, unknown>();
  for (const property of Object.keys(first)) {
    const value = first[property];
    if (value === undefined) continue;
    set.add(property);
    // A Date is nearly always "now", which two constructions in the same millisecond would not show.
    if (!(value instanceof Date) && sameJson(value, second[property])) fixed.set(property, value);
  }
  return { set, fixed };
}

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
