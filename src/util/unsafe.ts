/**
 * A YAML `!unsafe` string: Ansible never templates it. It stays wrapped while it is stored (in
 * vars, task args) and becomes the plain string, as written, when it is rendered.
 */
export class UnsafeText {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }
}
