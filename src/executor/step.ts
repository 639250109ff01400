/**
 * --step: before each task and handler, "Perform task: TASK: <name> (N)o/(y)es/(c)ontinue: ". "y"/"yes"
 * runs it, "c"/"continue" runs it and stops asking, anything else skips it; whatever the
 * answer, the question is then shown again as a banner (Ansible's _take_step).
 */
export class Stepper {
  private asking: boolean;

  constructor(
    private readonly ask?: (question: string) => Promise<string>,
    private readonly answered: (question: string) => void = () => {},
  ) {
    this.asking = ask !== undefined;
  }

  /** Whether admits() would ask: with --step, until "continue". */
  get asks(): boolean {
    return this.asking && this.ask !== undefined;
  }

  /** `handler`: Ansible asks for handlers too, naming them `HANDLER: <name>`. */
  async admits(taskName: string, handler = false): Promise<boolean> {
    if (!this.asking || !this.ask) return true;
    const question = `Perform task: ${handler ? 'HANDLER' : 'TASK'}: ${taskName} (N)o/(y)es/(c)ontinue: `;
    // Ansible compares the line as typed, only lowercased (" y" is not yes).
    const answer = (await this.ask(question)).toLowerCase();
    this.answered(question);
    if (answer === 'c' || answer === 'continue') {
      this.asking = false;
      return true;
    }
    return answer === 'y' || answer === 'yes';
  }
}
