import { fileModules } from '../../../src/modules/file-modules.js';
export default fileModules;
