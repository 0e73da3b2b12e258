import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderApiDocs } from '../../scripts/api-docs';

describe('docs/api.md', () => {
  it('is up to date with shared/api/contract.ts (run `npm run docs:api`)', () => {
    const committed = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderApiDocs());
  });
});
