/**
 * VarSource is defined beside the template engine that reads it (template/var-source.ts), so
 * template/ never imports vars/: variables depend on templating (lazy rendering), not the
 * other way round. Re-exported here for the variable manager's users.
 */
export * from '../template/var-source.js';
