/**
 * Removes known secrets (passwords, become passwords) from anything printed, as a last line of
 * defence: modules and connections already keep them off command lines and out of results.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: unknown): void {
    if (typeof secret === 'string' && secret.length >= 3) this.secrets.add(secret);
  }

  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('********');
    return out;
  }
}
