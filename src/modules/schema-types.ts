/**
 * Module argument types derived from the module's JSON Schema (written `as const`), so the
 * types a module's `run` sees cannot drift from what the runtime validation checked. Covers the
 * subset of JSON Schema the modules use: type (one or a list), enum, const, anyOf/oneOf, items,
 * properties + required.
 */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Prim<T> = T extends 'string' ? string : T extends 'integer' | 'number' ? number : T extends 'boolean' ? boolean : T extends 'null' ? null : never;

type OneType<T, S> = T extends 'array'
  ? S extends { items: infer I }
    ? Infer<I>[]
    : unknown[]
  : T extends 'object'
    ? S extends { properties: infer P }
      ? InferObject<P, S>
      : S extends { additionalProperties: infer V extends object }
        ? Record<string, Infer<V>>
        : Record<string, unknown>
    : Prim<T>;

type RequiredKeys<S> = S extends { required: readonly (infer K)[] } ? K : never;

type InferObject<P, S> = Simplify<
  { -readonly [K in keyof P as K extends RequiredKeys<S> ? K : never]: Infer<P[K]> } & {
    -readonly [K in keyof P as K extends RequiredKeys<S> ? never : K]?: Infer<P[K]>;
  }
>;

/** The TypeScript type of a value that passed validation against schema S. */
export type Infer<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { const: infer C }
    ? C
    : S extends { anyOf: readonly (infer A)[] }
      ? Infer<A>
      : S extends { oneOf: readonly (infer A)[] }
        ? Infer<A>
        : S extends { type: readonly (infer T)[] }
          ? OneType<T, S>
          : S extends { type: infer T }
            ? OneType<T, S>
            : unknown;

/** What every module's argsSchema is: an object schema with its properties. */
export interface ArgsSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, object>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly [keyword: string]: unknown;
}
