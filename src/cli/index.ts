import { run } from './main.ts';

run();
