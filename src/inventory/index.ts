export type { HostVarLayers, Inventory, InventoryGroup } from './types.js';
export { loadInventory } from './load-inventory.js';
