/** What was submitted for each obligation: one item per version, each written only if absent. */
import type { Submission } from '../../domain/submission.ts';
import { keys, TABLE_KEYS } from '../dynamo-keys.ts';
import { ConcurrentChangeError, entity, type Table } from './table.ts';

export class DynamoSubmissions {
  constructor(private readonly table: Table) {}

  /**
   * Records the submission of one upload slot once, as the next version of its obligation: 1, 2, 3 …
   * unique and without gaps, however often or concurrently the same slot is delivered. Each version is
   * its own item written only if absent, so two uploads racing for a number cannot both take it: the
   * loser reads again and takes the next one, and a repeat of a slot already recorded finds its record.
   */
  async appendSubmission(submission: Omit<Submission, 'version'>): Promise<Submission> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const recorded = await this.submissionsOfObligation(
        submission.pairingId,
        submission.kind,
        submission.year,
      );
      const mine = recorded.find((s) => s.id === submission.id);
      if (mine) return mine;
      const version = recorded.reduce((highest, s) => Math.max(highest, s.version), 0) + 1;
      const record: Submission = { ...submission, version };
      if (await this.table.putIfAbsent({ ...keys.submission(record), itemType: 'submission', ...record }))
        return record;
    }
    throw new ConcurrentChangeError(`submissions of ${submission.obligationId} kept changing; run again`);
  }

  /** Every version submitted for one obligation, oldest first (consistent: a version taken a moment ago counts). */
  async submissionsOfObligation(pairingId: string, kind: string, year: number): Promise<Submission[]> {
    const k = keys.submissionsOfObligation(pairingId, kind, year);
    const items = await this.table.partition(k.PK, k.SKPrefix, { consistent: true });
    return items.map((item) => entity<Submission>(item));
  }

  async submissionsOfPairing(pairingId: string): Promise<Submission[]> {
    const k = keys.submissionsOfPairing(pairingId);
    const items = await this.table.partition(k.PK, k.SKPrefix, { consistent: true });
    return items.map((item) => entity<Submission>(item));
  }

  async submissionsOfProgramme(programmeId: string, kind?: string, year?: number): Promise<Submission[]> {
    const k = keys.submissionsOfProgramme(programmeId, kind, year);
    const items = await this.table.index(TABLE_KEYS.byProgramme, k.GSI1PK, k.GSI1SKPrefix);
    return items.map((item) => entity<Submission>(item));
  }
}
