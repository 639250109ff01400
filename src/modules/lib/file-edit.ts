/**
 * The arguments and result that lineinfile, blockinfile and replace share: which file
 * (path or its aliases), its attributes, backup and validate, and Ansible's changed/msg.
 */
import type { ModuleResult } from '../types.js';
import { ArgError } from './file-args.js';
import { parseMode } from './file-mode.js';
import { bool, fileCommonProps, str } from './file-schema.js';
import type { EditOutcome, EditTarget } from './remote-edit.js';
import { withAttrMsg } from './remote-edit.js';

/** The file argument and its aliases, in Ansible's order; one of them is required. */
export const EDIT_PATH_ALIASES = ['path', 'dest', 'destfile', 'name'] as const;

/** What the three edit modules share in their schemas. */
export const editProps = { path: str, dest: str, destfile: str, name: str, backup: { ...bool, default: false }, validate: str, ...fileCommonProps } as const;

/** The shared arguments, as the schema types them. */
export interface EditArgs {
  path?: string;
  dest?: string;
  destfile?: string;
  name?: string;
  backup?: boolean;
  validate?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
}

/** `path`, or its aliases dest/destfile/name (the schema requires one of them). */
export function editPath(a: EditArgs): string {
  const path = a.path ?? a.dest ?? a.destfile ?? a.name;
  if (!path) throw new ArgError('missing required arguments: path');
  return path;
}

/** The file to edit with mode/owner/group/backup/validate from the arguments; `create` also makes parents. */
export function editTarget(a: EditArgs, path: string, create?: boolean): EditTarget {
  if (a.validate !== undefined && !a.validate.includes('%s')) throw new ArgError(`validate must contain %s: ${a.validate}`);
  const t: EditTarget = { path, mode: parseMode(a.mode), owner: a.owner, group: a.group, backup: a.backup ?? false, validate: a.validate };
  if (create !== undefined) t.makeParents = create;
  return t;
}

/** changed, and the edit's message with Ansible's suffix when attributes changed too. */
export function editResult(msg: string, o: EditOutcome): ModuleResult {
  return { changed: o.changed, msg: withAttrMsg(msg, o.attrChanged) };
}
