import { describe, expect, it } from 'vitest';
import { renderCommand } from '../../src/cli/render-command.ts';
import { KUSTOMIZE_VERSION } from '../../src/render/build.ts';

describe('render --version', () => {
  it('names the kustomize version the built-in renderer follows', () => {
    let out = '';
    const code = renderCommand({
      argv: ['--version'],
      cwd: process.cwd(),
      stdout: (s: string) => (out += s),
      stderr: () => {},
    } as unknown as Parameters<typeof renderCommand>[0]);
    expect(code).toBe(0);
    expect(KUSTOMIZE_VERSION).toMatch(/^v5\.\d+\.\d+$/);
    expect(out).toBe(`built-in renderer: follows Kustomize ${KUSTOMIZE_VERSION}\n`);
  });
});
