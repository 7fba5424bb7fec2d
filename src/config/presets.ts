/**
 * @deprecated Compatibility only: the preset names are in src/model/rule-file.ts and the
 * presets (which rules each holds, from the rules' `meta.presets`) in src/engine/presets.ts.
 * This module remains for test/acceptance/invariants.test.ts, which imports PRESETS from here;
 * it is the one import of the engine left in src/config: delete it once that test imports
 * src/engine/presets.ts. Nothing in src/ imports it.
 */
export { PRESETS, PRESET_NAMES, presetsOf, type PresetName } from '../engine/presets.ts';
