import type { Inventory } from '../inventory/index.js';
import type { Block, Play, Playbook, Task, TaskItem } from '../playbook/types.js';
import { tagsSelect } from '../executor/tags.js';

/** --list-hosts / --list-tasks / --list-tags, in ansible-playbook's layout. */
export function listPlaybook(
  pb: Playbook,
  what: { hosts?: boolean; tasks?: boolean; tags?: boolean },
  selectHosts: (play: Play) => string[],
  filter: { only: string[]; skip: string[] },
  /** Renders a templated tag with the play's variables (Ansible lists tags templated). */
  renderTag: (tag: string, play: Play) => unknown = (t) => t,
): string {
  const lines: string[] = ['', `playbook: ${pb.path}`];
  pb.plays.forEach((play, i) => {
    const playName = play.name ?? play.hosts;
    lines.push('', `  play #${i + 1} (${play.hosts}): ${playName}\tTAGS: [${play.tags.join(', ')}]`);
    if (what.hosts) {
      const hosts = selectHosts(play);
      lines.push(`    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`));
    }
    const tasks: { task: Task; tags: string[] }[] = [];
    const rendered = (tags: string[]) => tags.flatMap((t) => {
      try {
        const v = renderTag(t, play);
        return Array.isArray(v) ? v.map(String) : [String(v)];
      } catch {
        return [t]; // an undefined name leaves the tag as written
      }
    });
    const walk = (items: TaskItem[], inherited: string[]) => {
      for (const item of items) {
        const tags = [...inherited, ...rendered(item.tags)];
        if (item.kind === 'block') {
          const b = item as Block;
          walk([...b.block, ...b.rescue, ...b.always], tags);
        } else tasks.push({ task: item, tags: [...tags, ...play.tags] }); // ansible-playbook adds the play's tags as written too
      }
    };
    walk([...play.pre_tasks, ...play.role_tasks, ...play.tasks, ...play.post_tasks], rendered(play.tags));
    const selected = tasks.filter((t) => tagsSelect(t.tags, filter));
    if (what.tasks) {
      lines.push('    tasks:');
      for (const { task, tags } of selected) {
        const name = `${task.role ? `${task.role.name} : ` : ''}${task.name ?? task.action}`;
        lines.push(`      ${name}\tTAGS: [${[...new Set(tags)].sort().join(', ')}]`);
      }
    }
    if (what.tags) {
      const all = new Set(selected.flatMap((t) => t.tags));
      lines.push(`      TASK TAGS: [${[...all].sort().join(', ')}]`);
    }
  });
  return `${lines.join('\n')}\n`;
}

export type { Inventory };
