import { TsrunError } from '../util/errors.js';

/** A template or expression that cannot be parsed or evaluated; the message names the expression. */
export class TemplateError extends TsrunError {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'TemplateError';
  }
}

/** Use of a variable (or attribute / key) that does not exist. */
export class UndefinedVariableError extends TemplateError {
  readonly variable: string;
  constructor(message: string, variable: string) {
    super(message);
    this.name = 'UndefinedVariableError';
    this.variable = variable;
  }
}

/** A with_ loop's lookup failed: the message is the plugin's own, shown as it is (Ansible adds no position). */
export class LoopLookupError extends TemplateError {
  constructor(message: string) {
    super(message);
    this.name = 'LoopLookupError';
  }
}

/** Raised inside the interpreter; render/evaluate add the expression text and env.context. */
export class EvalError extends Error {}
