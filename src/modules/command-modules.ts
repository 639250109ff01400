import type { ModuleDef } from './types.js';
import addHost from './add_host.js';
import apt from './apt.js';
import assert from './assert.js';
import asyncStatus from './async_status.js';
import command from './command.js';
import debug from './debug.js';
import fail from './fail.js';
import getUrl from './get_url.js';
import getent from './getent.js';
import groupBy from './group_by.js';
import group from './group.js';
import includeVars from './include_vars.js';
import pause from './pause.js';
import ping from './ping.js';
import raw from './raw.js';
import script from './script.js';
import service from './service.js';
import setFact from './set_fact.js';
import setup from './setup.js';
import shell from './shell.js';
import systemd from './systemd.js';
import uri from './uri.js';
import user from './user.js';
import validateArgumentSpec from './validate_argument_spec.js';
import waitFor from './wait_for.js';

/** Command, service, package, check and control modules. */
export const commandModules: ModuleDef[] = [
  command,
  shell,
  raw,
  script,
  systemd,
  service,
  user,
  group,
  apt,
  waitFor,
  uri,
  getUrl,
  debug,
  setFact,
  fail,
  assert,
  pause,
  ping,
  includeVars,
  setup,
  addHost,
  groupBy,
  getent,
  asyncStatus,
  validateArgumentSpec,
];
