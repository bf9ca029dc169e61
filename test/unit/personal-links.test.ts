import { describe, expect, it } from 'vitest';
import { LinkError } from '../../functions/domain/links.ts';
import { parseObligationId } from '../../functions/use-cases/personal-links.ts';

describe('an obligation id in a link', () => {
  it('parses into pairing, kind and year', () => {
    expect(parseObligationId('fj-2021.fj-huaan-county-hospital#annual-report#2023')).toEqual({
      pairingId: 'fj-2021.fj-huaan-county-hospital',
      kind: 'annual-report',
      year: 2023,
    });
  });

  it.each([
    ['a kind no programme has', 'fj-2021.fj-huaan-county-hospital#annual_report#2023'],
    ['no year', 'fj-2021.fj-huaan-county-hospital#agreement#'],
    ['a year that is not four digits', 'fj-2021.fj-huaan-county-hospital#agreement#22'],
  ])('points at nothing we know with %s', (_case, id) => {
    const error = (() => {
      try {
        parseObligationId(id);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LinkError);
    expect((error as LinkError).code).toBe('unknown');
  });
});
