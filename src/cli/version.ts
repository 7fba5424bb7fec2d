// The tool's version lives in src/model/version.ts (every layer may name it).
export { VERSION } from '../model/version.ts';
