export type { Inventory } from './types.js';
export { loadInventory } from './load-inventory.js';
