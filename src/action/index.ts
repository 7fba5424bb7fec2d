// Entry point of the GitHub Action (action.yml → dist/index.js). Everything lives in run(), which
// turns anything thrown into a failed step with its message.
import { run } from './main.ts';

await run();
