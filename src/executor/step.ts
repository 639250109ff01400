/**
 * --step: before each task, "Perform task: TASK: <name> (N)o/(y)es/(c)ontinue: ". "y"/"yes"
 * runs it, "c"/"continue" runs it and stops asking, anything else skips it (Ansible's _take_step).
 */
export class Stepper {
  private asking: boolean;

  constructor(private readonly ask?: (question: string) => Promise<string>) {
    this.asking = ask !== undefined;
  }

  async admits(taskName: string): Promise<boolean> {
    if (!this.asking || !this.ask) return true;
    const answer = (await this.ask(`Perform task: TASK: ${taskName} (N)o/(y)es/(c)ontinue: `)).trim().toLowerCase();
    if (answer === 'c' || answer === 'continue') {
      this.asking = false;
      return true;
    }
    return answer === 'y' || answer === 'yes';
  }
}
